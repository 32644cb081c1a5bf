import { playSegments } from "../../recordings/segmented.js";
import { format, formatTime } from "./helpers.js";
import { chooseSource } from "./sources.js";

// --- Player: the video element, renditions, rate and frame stepping ---------------------------------------

export class Player {
  constructor(root, data, announce) {
    this.video = root.querySelector("[data-video]");
    this.renditionSelect = root.querySelector("[data-rendition]");
    this.playButton = root.querySelector("[data-action=toggle-play]");
    this.timeDisplay = root.querySelector("[data-current-time]");
    this.rateButtons = [...root.querySelectorAll("[data-rate]")];
    // Short-lived playback links per rendition kind (hevc, high, low, poster, sprite, thumbnails_vtt).
    this.sources = data.links || {};
    this.frame = root.querySelector("[data-player-focus]");
    this.source = null;
    this.strings = data.strings;
    this.announce = announce;
    // Stepping by one frame needs the frame rate; without it we assume 30 fps (phones' usual rate) until
    // playback shows the real one (see measureFrameRate).
    this.frameMs = 1000 / (data.recording.frame_rate || 30);
    this.frameRateKnown = Boolean(data.recording.frame_rate);
    this.durationMs = data.recording.duration_ms || 0;
    this.lastRefresh = 0;
    this.onPlaybackUrlsExpired = null;
    // The segment manifest while the film is still being encoded (no finished rendition yet), else "".
    this.segmentsUrl = data.api?.segments || "";
    this.segmented = null;
  }

  start() {
    const source = chooseSource(this.sources, this.video);
    for (const option of this.renditionSelect.options) option.disabled = !this.sourceFor(option.value);
    this.renditionSelect.value = source?.kind === "low" ? "low" : "high";
    if (source) this.load(this.renditionSelect.value, 0, false);
    else if (this.segmentsUrl) this.playSegments();
    else this.showPreparing();
    this.renditionSelect.addEventListener("change", () => this.switchRendition(this.renditionSelect.value));
    this.video.addEventListener("play", () => this.renderPlayState());
    this.video.addEventListener("pause", () => this.renderPlayState());
    this.video.addEventListener("timeupdate", () => this.renderTime());
    this.video.addEventListener("loadedmetadata", () => {
      if (!this.durationMs && Number.isFinite(this.video.duration)) this.durationMs = this.video.duration * 1000;
    });
    this.video.addEventListener("play", () => this.measureFrameRate());
    // Signed playback links live a few minutes; when one has expired, fetch fresh links once and resume.
    this.video.addEventListener("error", () => this.recoverFromError());
    this.renderPlayState();
    this.renderTime();
  }

  // "High" is the best source this browser plays (the HEVC copy where it decodes HEVC), "low" the small one.
  sourceFor(rendition) {
    if (rendition === "low") return this.sources.low ? { kind: "low", url: this.sources.low } : null;
    const best = chooseSource(this.sources, this.video);
    return best && best.kind !== "low" ? best : null;
  }

  showPreparing() {
    // Playable from a copy this browser cannot decode (HEVC): the H.264 version is still being made.
    const note = document.createElement("p");
    note.className = "preparing";
    note.setAttribute("role", "status");
    note.dataset.preparing = "";
    note.textContent = this.strings.being_prepared;
    this.frame.append(note);
  }

  load(rendition, atMs, resume) {
    const source = this.sourceFor(rendition);
    if (!source) return;
    this.source = source; // { kind, url }: what plays now
    this.video.src = source.url;
    this.video.load();
    this.video.addEventListener(
      "loadedmetadata",
      () => {
        this.video.currentTime = atMs / 1000;
        if (resume) this.video.play().catch(() => {});
      },
      { once: true },
    );
  }

  playSegments() {
    // Still being encoded: the finished segments, until the whole film is ready (then leaveSegments).
    this.segmented = playSegments(this.video, this.segmentsUrl, {
      strings: this.strings,
      noticeAfter: this.video.parentElement,
      onComplete: () => this.leaveSegments(),
    });
  }

  async leaveSegments() {
    // Same moment, same play state: the segments carry the final film's timestamps.
    const at = this.currentMs();
    const resume = !this.video.paused;
    this.segmented.stop();
    this.segmented = null;
    if (this.onPlaybackUrlsExpired) this.sources = await this.onPlaybackUrlsExpired();
    for (const option of this.renditionSelect.options) option.disabled = !this.sourceFor(option.value);
    this.renditionSelect.value = chooseSource(this.sources, this.video)?.kind === "low" ? "low" : "high";
    this.load(this.renditionSelect.value, at, resume);
  }

  switchRendition(rendition) {
    // Keep the moment and the play state: the renditions share one timeline (the pipeline guarantees it).
    this.load(rendition, this.currentMs(), !this.video.paused);
  }

  async recoverFromError() {
    // Links expire every few minutes during a long viewing; refresh them, but never in a tight loop.
    const now = Date.now();
    if (!this.onPlaybackUrlsExpired || now - this.lastRefresh < 30_000) return;
    this.lastRefresh = now;
    const at = this.currentMs();
    this.sources = await this.onPlaybackUrlsExpired();
    this.load(this.renditionSelect.value, at, false);
  }

  measureFrameRate() {
    // European cameras film at 25 or 50 fps. While the film plays, the browser reports each presented
    // frame; the typical distance between them is the frame duration. Snapped to a common rate.
    if (this.frameRateKnown || !("requestVideoFrameCallback" in this.video)) return;
    const samples = [];
    let previous = null;
    const onFrame = (_now, frame) => {
      if (previous && frame.presentedFrames - previous.presentedFrames === 1) {
        samples.push(frame.mediaTime - previous.mediaTime);
      }
      previous = frame;
      if (samples.length < 15 && !this.video.paused) {
        this.video.requestVideoFrameCallback(onFrame);
        return;
      }
      if (samples.length < 5) return;
      const median = samples.sort((a, b) => a - b)[samples.length >> 1];
      const rates = [23.976, 24, 25, 29.97, 30, 50, 59.94, 60];
      const rate = rates.reduce((best, candidate) =>
        Math.abs(1 / candidate - median) < Math.abs(1 / best - median) ? candidate : best,
      );
      this.frameMs = 1000 / rate;
      this.frameRateKnown = true;
    };
    this.video.requestVideoFrameCallback(onFrame);
  }

  currentMs() {
    return Math.round(this.video.currentTime * 1000);
  }

  seek(ms) {
    const limit = this.segmented ? this.segmented.seekLimitMs : this.durationMs || Number.MAX_SAFE_INTEGER;
    this.video.currentTime = Math.min(Math.max(0, ms), limit) / 1000;
    this.renderTime();
  }

  togglePlay() {
    if (this.video.paused) this.video.play().catch(() => {});
    else this.video.pause();
  }

  stepFrames(count) {
    this.video.pause();
    // Step from frame to frame (not by adding a rounded duration) so repeated steps never drift.
    const frame = Math.round((this.video.currentTime * 1000) / this.frameMs);
    this.seek((frame + count) * this.frameMs);
  }

  jump(ms) {
    this.seek(this.currentMs() + ms);
  }

  setRate(rate) {
    this.video.playbackRate = rate;
    for (const button of this.rateButtons) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.rate) === rate));
    }
    this.announce(format(this.strings.speed_set, { rate: String(rate).replace(".", ",") }));
  }

  renderPlayState() {
    const playing = !this.video.paused;
    this.playButton.textContent = playing ? this.strings.pause : this.strings.play;
    this.playButton.setAttribute("aria-label", playing ? this.strings.pause : this.strings.play);
  }

  renderTime() {
    this.timeDisplay.textContent = `${formatTime(this.currentMs())} / ${formatTime(this.durationMs)}`;
  }
}
