// The early form of a film that is still being encoded: its finished segments, played through Media Source
// Extensions until the whole high-quality film is ready.
//
// The server's manifest (recordings:segments) lists the finished segments with a short-lived link each.
// Every segment is a self-contained fragmented MP4 (its own init segment, then its fragments) whose
// timestamps are positions in the original film, so each is appended whole to one SourceBuffer in
// "segments" mode and lands at its own place: times (and so annotation times) are those of the final film.
// While the manifest says the film is not complete it is fetched again every few seconds (fresh links,
// new segments); once complete, `onComplete` hands over to the final film. No dependencies.

const POLL_MS = 4000;
const SLOWEST_POLL_MS = 30000;
// Keep this much film appended ahead of the playing position; a long film never fits in the browser's
// buffer whole, so segments further on are fetched when playback gets near them.
const AHEAD_S = 120;
const BEHIND_S = 30;
const END_MARGIN_S = 0.05;
const SEEK_MARGIN_S = 1;

// Safari on the iPhone (iOS 17.1 on) offers Media Source Extensions only as ManagedMediaSource.
const Source = window.ManagedMediaSource || window.MediaSource;

export function segmentsSupported(mime) {
  return Boolean(Source) && (!mime || Source.isTypeSupported(mime));
}

// The finished segments from the first one on without a gap: the stretch that can be watched.
function watchable(segments) {
  const sorted = [...segments].sort((a, b) => a.index - b.index);
  const run = [];
  for (const segment of sorted) {
    if (segment.index !== run.length) break;
    run.push(segment);
  }
  return run;
}

function updated(buffer) {
  return new Promise((resolve, reject) => {
    const done = () => {
      buffer.removeEventListener("updateend", done);
      buffer.removeEventListener("error", failed);
      resolve();
    };
    const failed = () => {
      buffer.removeEventListener("updateend", done);
      buffer.removeEventListener("error", failed);
      reject(new Error("SourceBuffer error"));
    };
    buffer.addEventListener("updateend", done);
    buffer.addEventListener("error", failed);
  });
}

export class SegmentedPlayer {
  // options: strings (early_minutes_one and early_seconds_one for exactly one, early_minutes_other and
  // early_seconds_other with a {count} for any other number), onComplete() once the final film is ready,
  // notice (an element for the quiet notice).
  constructor(video, manifestUrl, options = {}) {
    this.video = video;
    this.manifestUrl = manifestUrl;
    this.strings = options.strings || {};
    this.onComplete = options.onComplete || (() => {});
    this.notice = options.notice || null;
    this.segments = [];
    this.appended = new Set();
    this.busy = false;
    this.stopped = false;
    this.pollMs = POLL_MS;
    this.timer = 0;
    this.onSeeking = () => this.pump();
    this.onProgress = () => this.pump();
  }

  start() {
    if (!Source) {
      // No way to play the segments here: only wait for the final film.
      this.refresh();
      return this;
    }
    this.mediaSource = new Source();
    // ManagedMediaSource plays only without AirPlay (which would need a plain link to the film).
    if (Source !== window.MediaSource) this.video.disableRemotePlayback = true;
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    this.mediaSource.addEventListener("sourceopen", () => this.refresh(), { once: true });
    this.video.src = this.objectUrl;
    this.video.addEventListener("seeking", this.onSeeking);
    this.video.addEventListener("timeupdate", this.onProgress);
    return this;
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.video.removeEventListener("seeking", this.onSeeking);
    this.video.removeEventListener("timeupdate", this.onProgress);
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.notice?.remove();
  }

  // The end of what can be watched now, in seconds.
  get availableEnd() {
    return this.segments.length ? this.segments[this.segments.length - 1].end : 0;
  }

  async refresh() {
    if (this.stopped) return;
    let manifest = null;
    try {
      const response = await fetch(this.manifestUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 403 || response.status === 404) {
        // No longer ours to show (consent withdrawn, supervision ended, film deleted): stop showing it.
        this.stop();
        this.video.removeAttribute("src");
        this.video.load();
        return;
      }
      manifest = response.ok ? await response.json() : null;
      if (manifest && !this.stopped) this.take(manifest);
    } catch {
      manifest = null; // offline for a moment: try again at the next poll
    }
    if (this.stopped) return;
    if (manifest && manifest.complete) {
      this.onComplete();
      return;
    }
    // Nothing new for a while (a slow encode, a closed laptop): ask less often.
    this.timer = window.setTimeout(() => this.refresh(), this.pollMs);
  }

  take(manifest) {
    if (!this.mediaSource) return;
    if (!this.sourceBuffer) {
      if (!segmentsSupported(manifest.mime)) return;
      this.sourceBuffer = this.mediaSource.addSourceBuffer(manifest.mime);
      this.sourceBuffer.mode = "segments";
      this.duration = manifest.duration;
    }
    const before = this.availableEnd;
    // Fresh links every time: the old ones expire after a few minutes.
    this.segments = watchable(manifest.segments);
    this.fetchFailed = false;
    this.extendDuration();
    this.pollMs = this.availableEnd > before ? POLL_MS : Math.min(this.pollMs * 2, SLOWEST_POLL_MS);
    this.renderNotice(manifest.complete);
    this.pump();
  }

  // The next segment to append: the first one not in the buffer that ends after the playing position and
  // starts within reach ahead of it.
  next() {
    const now = this.video.currentTime;
    return this.segments.find(
      (segment) => !this.inBuffer(segment) && segment.end > now && segment.start < now + AHEAD_S,
    );
  }

  // Appended, and not evicted since: the browser may free buffered film on its own when memory is short.
  inBuffer(segment) {
    if (!this.appended.has(segment.index)) return false;
    const middle = (segment.start + segment.end) / 2;
    const ranges = this.video.buffered;
    for (let index = 0; index < ranges.length; index += 1) {
      if (ranges.start(index) <= middle && middle <= ranges.end(index)) return true;
    }
    return false;
  }

  async pump() {
    if (this.busy || this.stopped || this.fetchFailed || !this.sourceBuffer) return;
    const segment = this.next();
    if (!segment) {
      this.endIfWhole();
      return;
    }
    this.busy = true;
    try {
      const response = await fetch(segment.url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.extendDuration();
      await this.append(await response.arrayBuffer());
      this.appended.add(segment.index);
    } catch {
      // An expired link or a full buffer: wait for the next manifest (fresh links; playback frees room).
      this.busy = false;
      this.fetchFailed = true;
      return;
    }
    this.busy = false;
    this.pump();
  }

  async append(data) {
    if (this.stopped) return;
    try {
      this.sourceBuffer.appendBuffer(data);
    } catch (error) {
      if (error.name !== "QuotaExceededError") throw error;
      await this.evict();
      this.sourceBuffer.appendBuffer(data);
    }
    await updated(this.sourceBuffer);
  }

  // Make room behind the playing position, at a segment boundary so the bookkeeping stays exact.
  async evict() {
    const keepFrom = this.video.currentTime - BEHIND_S;
    const behind = this.segments.filter((segment) => segment.end <= keepFrom);
    if (!behind.length) throw new Error("buffer full");
    const until = behind[behind.length - 1].end;
    this.sourceBuffer.remove(0, until);
    await updated(this.sourceBuffer);
    for (const segment of behind) this.appended.delete(segment.index);
  }

  // Every segment up to the end of the film is finished (the final film may still be being joined).
  get whole() {
    return this.duration > 0 && this.availableEnd >= this.duration - END_MARGIN_S;
  }

  endIfWhole() {
    // The last segment is in: say so, or playback waits at the end for data that never comes.
    const last = this.segments[this.segments.length - 1];
    const open = this.mediaSource.readyState === "open" && !this.sourceBuffer.updating;
    if (this.whole && last && this.appended.has(last.index) && open) this.mediaSource.endOfStream();
  }

  // Only what is finished can be watched: the media's duration is the end of the finished part, so the
  // browser itself stops a seek (or a drag on its own controls) there. It grows as segments arrive.
  extendDuration() {
    const end = this.whole ? this.duration : this.availableEnd;
    const current = this.mediaSource.duration;
    if (!(end > 0) || (current >= end && current !== Infinity)) return;
    if (this.mediaSource.readyState !== "open" || this.sourceBuffer.updating) return;
    this.mediaSource.duration = end;
  }

  // Where a seek may go: a seek past the finished part would wait there until more film is finished (the
  // browser cannot be turned back from such a seek), and so does one just before its end, because the
  // browser completes a seek only with some film after the new position (or at the end of the stream).
  // A player stops its own seeks a second before the end of what is finished.
  get seekLimitMs() {
    const end = this.whole ? this.duration : this.availableEnd - SEEK_MARGIN_S;
    return Math.max(0, end * 1000);
  }

  renderNotice(complete) {
    if (!this.notice || complete) return;
    const seconds = Math.floor(this.availableEnd);
    const minutes = Math.floor(seconds / 60);
    const [count, key] = minutes >= 1 ? [minutes, "early_minutes"] : [seconds, "early_seconds"];
    const template = this.strings[`${key}_${count === 1 ? "one" : "other"}`] || "";
    this.notice.textContent = template.replace("{count}", String(count));
    this.notice.hidden = false;
  }
}

// Play the early form in `video`; a quiet notice after `noticeAfter` (an element) tells how much of the
// film can be watched yet.
export function playSegments(video, manifestUrl, { strings, onComplete, noticeAfter } = {}) {
  let notice = null;
  if (noticeAfter) {
    notice = document.createElement("p");
    notice.className = "muted segments-notice";
    notice.setAttribute("role", "status");
    notice.hidden = true;
    noticeAfter.after(notice);
  }
  return new SegmentedPlayer(video, manifestUrl, { strings, onComplete, notice }).start();
}
