// The annotation workspace: a video player with an annotation timeline and a list that follows playback.
//
// One isolated module, no dependencies. It reads everything it needs from the page's JSON data block
// (rendered with Django's json_script, so it is data, not code: the Content-Security-Policy allows it)
// and talks to the annotations API with fetch. All user text is inserted with textContent, never as HTML.
//
// Layout of this file: pure helpers (time, search, WebVTT), the API client, then one small controller per
// part of the page (player, timeline, scrub preview, list, form), wired together by `Workspace`.

// --- Pure helpers ---------------------------------------------------------------------------------------

/** "1:02:03.450" / "2:03.450" for a position in milliseconds (always with milliseconds: VIB is precise). */
export function formatTime(ms) {
  const safe = Math.max(0, Math.round(ms));
  const hours = Math.floor(safe / 3_600_000);
  const minutes = Math.floor((safe % 3_600_000) / 60_000);
  const seconds = Math.floor((safe % 60_000) / 1000);
  const millis = safe % 1000;
  const ss = String(seconds).padStart(2, "0");
  const mmm = String(millis).padStart(3, "0");
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, "0")}:${ss}.${mmm}`;
  return `${minutes}:${ss}.${mmm}`;
}

/** Parse "h:mm:ss.mmm", "m:ss.mmm", "ss.mmm" or "ss" (comma accepted as decimal sign) to ms; NaN if invalid. */
export function parseTime(text) {
  const value = String(text).trim().replace(",", ".");
  if (!/^(\d+:){0,2}\d+(\.\d{1,3})?$/.test(value)) return Number.NaN;
  const parts = value.split(":");
  const secondsPart = parts.pop();
  const [whole, fraction = ""] = secondsPart.split(".");
  let ms = Number(whole) * 1000 + Number(fraction.padEnd(3, "0"));
  let factor = 60_000;
  while (parts.length) {
    ms += Number(parts.pop()) * factor;
    factor *= 60;
  }
  return ms;
}

/** Index of the last item whose key(item) <= value in an array sorted by key, or -1. */
export function lastAtOrBefore(items, value, key) {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (key(items[middle]) <= value) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function vttTimestamp(text) {
  // WebVTT timestamps: "mm:ss.ttt" or "hh:mm:ss.ttt".
  const parts = text.trim().split(":");
  const [seconds, millis] = parts.pop().split(".");
  let ms = Number(seconds) * 1000 + Number((millis || "0").padEnd(3, "0").slice(0, 3));
  let factor = 60_000;
  while (parts.length) {
    ms += Number(parts.pop()) * factor;
    factor *= 60;
  }
  return ms;
}

/**
 * Parse a WebVTT thumbnails track: cues whose payload is "image.jpg#xywh=x,y,w,h".
 * Returns [{startMs, endMs, image, x, y, w, h}] sorted by start.
 */
export function parseThumbnailsVtt(text) {
  const cues = [];
  const blocks = text.replace(/\r\n?/g, "\n").split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split("\n").filter((line) => line.trim() !== "");
    const timing = lines.findIndex((line) => line.includes("-->"));
    if (timing === -1 || timing + 1 >= lines.length) continue;
    const [start, end] = lines[timing].split("-->").map((part) => part.trim().split(/\s+/)[0]);
    const payload = lines[timing + 1].trim();
    const match = /^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(payload);
    if (!match) continue;
    cues.push({
      startMs: vttTimestamp(start),
      endMs: vttTimestamp(end),
      image: match[1],
      x: Number(match[2]),
      y: Number(match[3]),
      w: Number(match[4]),
      h: Number(match[5]),
    });
  }
  return cues.sort((a, b) => a.startMs - b.startMs);
}

// A point annotation counts as "current" for this long after its moment, so the list can follow it.
const POINT_ACTIVE_MS = 3000;
// At most this many annotations are highlighted and read out as current at once.
const MAX_CURRENT = 3;

export function annotationEndMs(annotation) {
  return annotation.end_ms ?? annotation.start_ms + POINT_ACTIVE_MS;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  if (text) node.textContent = text;
  return node;
}

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// --- API client -----------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

class Api {
  constructor(urls, csrfToken) {
    this.urls = urls;
    this.csrfToken = csrfToken;
  }

  async request(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": this.csrfToken,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  annotationUrl(id, action = "") {
    return `${this.urls.annotation_base}${id}/${action ? `${action}/` : ""}`;
  }

  create(fields) {
    return this.request("POST", this.urls.annotations, fields);
  }

  update(id, fields) {
    return this.request("PATCH", this.annotationUrl(id), fields);
  }

  remove(id) {
    return this.request("DELETE", this.annotationUrl(id));
  }

  publish(id) {
    return this.request("POST", this.annotationUrl(id, "publish"));
  }

  resolve(id, resolved) {
    return this.request("POST", this.annotationUrl(id, "resolve"), { resolved });
  }

  publishDrafts() {
    return this.request("POST", this.urls.publish_drafts);
  }

  reply(id, text) {
    return this.request("POST", this.annotationUrl(id, "replies"), { text });
  }

  orderMedia(fields) {
    return this.request("POST", this.urls.review_media, fields);
  }

  playback() {
    return this.request("GET", this.urls.playback);
  }
}

// --- Player: the video element, renditions, rate and frame stepping ---------------------------------------

class Player {
  constructor(root, data, announce) {
    this.video = root.querySelector("[data-video]");
    this.renditionSelect = root.querySelector("[data-rendition]");
    this.playButton = root.querySelector("[data-action=toggle-play]");
    this.timeDisplay = root.querySelector("[data-current-time]");
    this.rateButtons = [...root.querySelectorAll("[data-rate]")];
    // Short-lived playback links per rendition kind (high, low, poster, sprite, thumbnails_vtt).
    this.sources = data.links || {};
    this.strings = data.strings;
    this.announce = announce;
    // Stepping by one frame needs the frame rate; without it we assume 30 fps (phones' usual rate) until
    // playback shows the real one (see measureFrameRate).
    this.frameMs = 1000 / (data.recording.frame_rate || 30);
    this.frameRateKnown = Boolean(data.recording.frame_rate);
    this.durationMs = data.recording.duration_ms || 0;
    this.lastRefresh = 0;
    this.onPlaybackUrlsExpired = null;
  }

  start() {
    const preferred = this.sources.high ? "high" : "low";
    for (const option of this.renditionSelect.options) option.disabled = !this.sources[option.value];
    this.renditionSelect.value = preferred;
    this.load(preferred, 0, false);
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

  load(rendition, atMs, resume) {
    const url = this.sources[rendition];
    if (!url) return;
    this.video.src = url;
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
    const limit = this.durationMs || Number.MAX_SAFE_INTEGER;
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

// --- Timeline: markers by category, ranges as bars, in/out points, click and keyboard seeking --------------

class Timeline {
  constructor(root, workspace) {
    this.node = root.querySelector("[data-timeline]");
    this.markers = root.querySelector("[data-timeline-markers]");
    this.progress = root.querySelector("[data-timeline-progress]");
    this.selection = root.querySelector("[data-timeline-selection]");
    this.workspace = workspace;
  }

  get durationMs() {
    return this.workspace.player.durationMs || 1;
  }

  percent(ms) {
    return `${Math.min(100, Math.max(0, (ms / this.durationMs) * 100))}%`;
  }

  msAtPointer(event) {
    const box = this.node.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    return Math.round(fraction * this.durationMs);
  }

  start() {
    // A press on a marker jumps to its annotation, a press elsewhere seeks there, and dragging scrubs.
    // The pointer is only captured once a drag starts: a captured pointer's click lands on the timeline
    // itself, and the marker that was pressed would be lost.
    this.node.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      this.press = { x: event.clientX, marker: event.target.closest("[data-marker]"), dragging: false };
    });
    this.node.addEventListener("pointermove", (event) => {
      if (!this.press) return;
      if (!this.press.dragging && Math.abs(event.clientX - this.press.x) > 3) {
        this.press.dragging = true;
        this.node.setPointerCapture(event.pointerId);
      }
      if (this.press.dragging) this.workspace.player.seek(this.msAtPointer(event));
    });
    this.node.addEventListener("click", (event) => {
      const press = this.press;
      this.press = null;
      if (press?.dragging) return;
      const marker = press?.marker || event.target.closest("[data-marker]");
      if (marker) this.workspace.jumpTo(Number(marker.dataset.marker));
      else this.workspace.player.seek(this.msAtPointer(event));
    });
    this.node.addEventListener("pointercancel", () => {
      this.press = null;
    });
    this.node.addEventListener("keydown", (event) => this.onKey(event));
    this.node.setAttribute("aria-valuemax", String(Math.round(this.durationMs / 1000)));
  }

  onKey(event) {
    // The timeline is an ARIA slider: Home/End and Page keys move it as screen reader users expect.
    const player = this.workspace.player;
    const moves = { Home: -Infinity, End: Infinity, PageUp: 30_000, PageDown: -30_000 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const delta = moves[event.key];
    if (delta === -Infinity) player.seek(0);
    else if (delta === Infinity) player.seek(this.durationMs);
    else player.jump(delta);
  }

  render(annotations, categories) {
    const fragment = document.createDocumentFragment();
    this.markerById = new Map();
    this.activeMarkers = [];
    for (const annotation of annotations) {
      const category = categories.get(annotation.category);
      const isRange = annotation.end_ms !== null && annotation.end_ms !== undefined;
      const marker = element("span", {
        class: `marker${isRange ? " range" : ""}${annotation.visibility === "draft" ? " draft" : ""}`,
        "data-marker": annotation.id,
        title: `${formatTime(annotation.start_ms)} ${category ? category.name : ""}`,
      });
      // Positions and colours go through the CSSOM, which the Content-Security-Policy allows
      // (unlike style="" attributes in the markup).
      marker.style.left = this.percent(annotation.start_ms);
      if (isRange) marker.style.width = this.percent(annotation.end_ms - annotation.start_ms);
      if (category) marker.style.setProperty("--category-colour", category.colour);
      this.markerById.set(annotation.id, marker);
      fragment.append(marker);
    }
    this.markers.replaceChildren(fragment);
  }

  renderPosition(ms) {
    this.progress.style.width = this.percent(ms);
    this.node.setAttribute("aria-valuenow", String(Math.round(ms / 1000)));
    this.node.setAttribute("aria-valuetext", formatTime(ms));
  }

  renderActive(ids) {
    // Only touch what changes: with thousands of markers, querying the DOM per tick would stall playback.
    for (const node of this.activeMarkers) node.classList.remove("active");
    this.activeMarkers = [...ids].map((id) => this.markerById.get(id)).filter(Boolean);
    for (const node of this.activeMarkers) node.classList.add("active");
  }

  renderSelection(inMs, outMs) {
    if (inMs === null) {
      this.selection.hidden = true;
      return;
    }
    this.selection.hidden = false;
    this.selection.style.left = this.percent(inMs);
    this.selection.style.width = outMs === null ? "2px" : this.percent(outMs - inMs);
  }
}

// --- Scrub preview: the sprite thumbnail under the pointer ------------------------------------------------

class ScrubPreview {
  constructor(root, timeline, links) {
    this.node = root.querySelector("[data-scrub-preview]");
    this.image = root.querySelector("[data-scrub-image]");
    this.label = root.querySelector("[data-scrub-time]");
    this.timeline = timeline;
    this.thumbnails = { vtt: links.thumbnails_vtt, sprite: links.sprite };
    this.cues = [];
  }

  async start() {
    this.timeline.node.addEventListener("pointermove", (event) => this.show(event));
    this.timeline.node.addEventListener("pointerleave", () => {
      this.node.hidden = true;
    });
    if (!this.thumbnails.vtt) return;
    try {
      const response = await fetch(this.thumbnails.vtt, { credentials: "same-origin" });
      if (response.ok) this.cues = parseThumbnailsVtt(await response.text());
      // Load the sprite now, while its short-lived link is fresh; the browser keeps the decoded image.
      if (this.cues.length) this.spriteImage = Object.assign(new Image(), { src: this.imageUrl(this.cues[0]) });
    } catch {
      this.cues = []; // Scrubbing still works without thumbnails.
    }
  }

  imageUrl(cue) {
    // The track names its sprite relatively ("sprite.jpg"); the page gives the sprite's own (signed) link.
    if (this.thumbnails.sprite) return this.thumbnails.sprite;
    return new URL(cue.image, new URL(this.thumbnails.vtt, window.location.href)).href;
  }

  show(event) {
    const ms = this.timeline.msAtPointer(event);
    this.label.textContent = formatTime(ms);
    this.node.style.left = this.timeline.percent(ms);
    const index = lastAtOrBefore(this.cues, ms, (cue) => cue.startMs);
    const cue = index === -1 ? null : this.cues[index];
    this.image.hidden = !cue;
    if (cue) {
      this.image.style.width = `${cue.w}px`;
      this.image.style.height = `${cue.h}px`;
      this.image.style.backgroundImage = `url("${this.imageUrl(cue)}")`;
      this.image.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    }
    this.node.hidden = false;
  }
}

// --- Annotation list: follows playback, jump on click, replies, publish ----------------------------------

class AnnotationList {
  constructor(root, workspace) {
    this.node = root.querySelector("[data-annotation-list]");
    this.current = root.querySelector("[data-current-annotation]");
    this.count = root.querySelector("[data-annotation-count]");
    this.publishAll = root.querySelector("[data-action=publish-all]");
    this.workspace = workspace;
    this.items = new Map();
    // Moments chosen for a review reel; kept across re-renders of the list.
    this.reelPicks = new Set();
    this.picking = Boolean(root.querySelector("[data-action=make-reel]"));
  }

  start() {
    this.node.addEventListener("click", (event) => this.onClick(event));
    this.node.addEventListener("change", (event) => {
      const box = event.target.closest("[data-reel-pick]");
      if (!box) return;
      const id = Number(box.closest("[data-annotation]").dataset.annotation);
      if (box.checked) this.reelPicks.add(id);
      else this.reelPicks.delete(id);
    });
    this.node.addEventListener("submit", (event) => this.onReply(event));
    this.publishAll?.addEventListener("click", () => this.workspace.publishAllDrafts());
  }

  onClick(event) {
    const button = event.target.closest("button[data-list-action]");
    if (!button) return;
    const id = Number(button.closest("[data-annotation]").dataset.annotation);
    const action = button.dataset.listAction;
    if (action === "jump") this.workspace.jumpTo(id);
    else if (action === "jump-linked") this.workspace.jumpTo(Number(button.dataset.target));
    else if (action === "publish") this.workspace.publish(id);
    else if (action === "resolve") this.workspace.toggleResolved(id);
    else if (action === "edit") this.workspace.form?.openForEdit(this.workspace.byId.get(id));
    else if (action === "delete") this.workspace.remove(id);
    else if (action === "reply") this.toggleReplyForm(button);
  }

  toggleReplyForm(button) {
    // Made on first use: thousands of hidden forms would slow down opening a busy recording.
    const item = button.closest("[data-annotation]");
    let form = item.querySelector("[data-reply-form]");
    if (!form) {
      form = this.renderReplyForm(this.workspace.byId.get(Number(item.dataset.annotation)));
      item.append(form);
    }
    form.hidden = !form.hidden;
    button.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) form.querySelector("textarea").focus();
  }

  async onReply(event) {
    const form = event.target.closest("[data-reply-form]");
    if (!form) return;
    event.preventDefault();
    const id = Number(form.closest("[data-annotation]").dataset.annotation);
    const textarea = form.querySelector("textarea");
    const error = form.querySelector("[data-reply-error]");
    error.textContent = "";
    try {
      await this.workspace.reply(id, textarea.value);
      textarea.value = "";
    } catch (failure) {
      // Keep what was typed; show the server's message next to the field.
      error.textContent = fieldMessage(failure, "text") || this.workspace.strings.save_failed;
    }
  }

  render(annotations, repliesByParent) {
    const strings = this.workspace.strings;
    const fragment = document.createDocumentFragment();
    this.items.clear();
    for (const annotation of annotations) {
      const item = this.renderItem(annotation, repliesByParent.get(annotation.id) || []);
      this.items.set(annotation.id, item);
      fragment.append(item);
    }
    this.node.replaceChildren(fragment);
    this.count.textContent = format(strings.count, { count: annotations.length });
    const drafts = annotations.some((annotation) => annotation.can_publish);
    if (this.publishAll) this.publishAll.hidden = !drafts;
  }

  renderItem(annotation, replies) {
    const strings = this.workspace.strings;
    const category = this.workspace.categories.get(annotation.category);
    const item = element("li", { class: "annotation", "data-annotation": annotation.id });
    if (category) item.style.setProperty("--category-colour", category.colour);
    if (annotation.resolved) item.classList.add("resolved");

    const when = annotation.end_ms === null ? formatTime(annotation.start_ms)
      : `${formatTime(annotation.start_ms)} – ${formatTime(annotation.end_ms)}`;
    const heading = element("div", { class: "annotation-head" });
    const jump = element("button", {
      type: "button",
      class: "jump",
      "data-list-action": "jump",
      "aria-label": format(strings.jump_to, { time: when, category: category ? category.name : "" }),
    });
    jump.append(element("span", { class: "time" }, when), element("span", { class: "swatch", "aria-hidden": "true" }));
    jump.append(element("span", { class: "category" }, category ? category.name : ""));
    heading.append(jump);
    const badges = element("span", { class: "badges" });
    badges.append(element("span", { class: `badge kind-${annotation.kind}` }, annotation.kind_label));
    if (annotation.visibility === "draft") badges.append(element("span", { class: "badge warn" }, strings.draft));
    if (annotation.resolved) badges.append(element("span", { class: "badge ok" }, strings.resolved));
    heading.append(badges);
    item.append(heading);

    item.append(element("p", { class: "annotation-text" }, annotation.text));
    item.append(element("p", { class: "muted author" }, annotation.author_name));
    const partner = this.workspace.partnerOf(annotation);
    if (partner) {
      const partnerCategory = this.workspace.categories.get(partner.category);
      item.append(
        element("p", { class: "linked" }, format(strings.linked_to, {
          time: formatTime(partner.start_ms),
          category: partnerCategory ? partnerCategory.name : "",
        })),
      );
      const link = element("button", {
        type: "button", class: "link", "data-list-action": "jump-linked", "data-target": partner.id,
      }, strings.show_linked);
      item.lastChild.append(" ", link);
    }
    if (replies.length) item.append(this.renderReplies(replies));
    if (this.picking) item.append(this.renderReelPick(annotation));
    item.append(this.renderActions(annotation));
    return item;
  }

  renderReelPick(annotation) {
    const id = `${this.node.id || "list"}-reel-${annotation.id}`;
    const wrapper = element("div", { class: "reel-pick" });
    const box = element("input", { type: "checkbox", id, "data-reel-pick": true, checked: this.reelPicks.has(annotation.id) });
    wrapper.append(box, element("label", { for: id }, this.workspace.strings.pick_for_reel));
    return wrapper;
  }

  renderReplies(replies) {
    const list = element("ol", { class: "replies", "aria-label": this.workspace.strings.replies });
    for (const reply of replies) {
      const item = element("li", { class: "reply" });
      item.append(element("p", { class: "annotation-text" }, reply.text));
      item.append(element("p", { class: "muted author" }, reply.author_name));
      list.append(item);
    }
    return list;
  }

  renderActions(annotation) {
    const strings = this.workspace.strings;
    const actions = element("div", { class: "actions" });
    const add = (action, label, extra = {}) =>
      actions.append(element("button", { type: "button", "data-list-action": action, ...extra }, label));
    if (annotation.can_publish) add("publish", strings.publish, { class: "primary" });
    if (annotation.can_reply) add("reply", strings.reply, { "aria-expanded": "false" });
    if (annotation.can_resolve) add("resolve", annotation.resolved ? strings.reopen : strings.resolve);
    if (annotation.can_edit) add("edit", strings.edit);
    if (annotation.can_edit) add("delete", strings.delete, { class: "danger" });
    return actions;
  }

  renderReplyForm(annotation) {
    const strings = this.workspace.strings;
    const form = element("form", { class: "reply-form", "data-reply-form": true, hidden: true });
    const id = `reply-text-${annotation.id}`;
    form.append(element("label", { for: id }, strings.reply_label));
    form.append(element("textarea", { id, name: "text", required: true, maxlength: this.workspace.maxTextLength }));
    form.append(element("p", { class: "error", role: "alert", "data-reply-error": true }));
    form.append(element("button", { type: "submit" }, strings.send_reply));
    return form;
  }

  renderActive(active, announceText) {
    for (const node of this.activeItems || []) node.classList.remove("active");
    this.activeItems = active.map((annotation) => this.items.get(annotation.id)).filter(Boolean);
    for (const node of this.activeItems) node.classList.add("active");
    const first = this.activeItems[0];
    // Follow playback, but never pull the list away from someone working inside it.
    if (first && first !== this.scrolledTo && !this.node.contains(document.activeElement)) {
      this.scrolledTo = first;
      first.scrollIntoView({ block: "nearest" });
    }
    this.current.textContent = announceText;
  }
}

function fieldMessage(failure, field) {
  const body = failure instanceof ApiError ? failure.body : null;
  const messages = body && body[field];
  return Array.isArray(messages) ? messages.join(" ") : messages || "";
}

// --- The new/edit annotation form ---------------------------------------------------------------------------

class AnnotationForm {
  constructor(root, workspace) {
    this.node = root.querySelector("[data-annotation-form]");
    this.title = this.node.querySelector("[data-form-title]");
    this.fields = {};
    for (const name of ["start", "end", "category", "kind", "visibility", "linked_to", "text"]) {
      this.fields[name] = this.node.querySelector(`[name=${name}]`);
    }
    this.status = this.node.querySelector("[data-form-status]");
    this.workspace = workspace;
    this.editing = null;
  }

  start() {
    this.node.addEventListener("submit", (event) => this.onSubmit(event));
    this.node.querySelector("[data-action=cancel-form]").addEventListener("click", () => this.close());
    this.node.querySelector("[data-action=make-clip]")?.addEventListener("click", () => this.orderClip());
  }

  async orderClip() {
    this.clearErrors();
    const fields = this.collect();
    if (!fields) return;
    try {
      await this.workspace.orderMedia({ kind: "clip", start_ms: fields.start_ms, end_ms: fields.end_ms });
    } catch (failure) {
      this.showServerErrors(failure);
    }
  }

  open({ startMs, endMs = null }) {
    this.editing = null;
    this.node.reset();
    this.fill(startMs, endMs);
    this.title.textContent = this.workspace.strings.new_annotation;
    this.show();
  }

  openForEdit(annotation) {
    this.editing = annotation;
    this.fill(annotation.start_ms, annotation.end_ms);
    this.fields.category.value = annotation.category ?? "";
    this.fields.text.value = annotation.text;
    if (this.fields.kind) this.fields.kind.value = annotation.kind;
    if (this.fields.visibility) this.fields.visibility.value = annotation.visibility;
    if (this.fields.linked_to) this.fields.linked_to.value = annotation.linked_to ?? "";
    this.title.textContent = this.workspace.strings.edit_annotation;
    this.show();
  }

  fill(startMs, endMs) {
    this.clearErrors();
    this.fields.start.value = formatTime(startMs);
    this.fields.end.value = endMs === null ? "" : formatTime(endMs);
    this.renderLinkOptions();
  }

  renderLinkOptions() {
    const select = this.fields.linked_to;
    if (!select) return;
    const keep = select.options[0];
    const options = [keep];
    for (const annotation of this.workspace.topLevel) {
      if (this.editing && annotation.id === this.editing.id) continue;
      const category = this.workspace.categories.get(annotation.category);
      options.push(new Option(`${formatTime(annotation.start_ms)} ${category ? category.name : ""}`, annotation.id));
    }
    select.replaceChildren(...options);
  }

  show() {
    this.node.hidden = false;
    // Focus the first choice to make: the moment is already filled in.
    this.fields.category.focus();
  }

  close() {
    this.node.hidden = true;
    this.editing = null;
    this.workspace.focusPlayer();
  }

  clearErrors() {
    for (const node of this.node.querySelectorAll("[data-error-for]")) node.textContent = "";
    for (const node of this.node.querySelectorAll(".field.has-error")) node.classList.remove("has-error");
    this.status.textContent = "";
  }

  showError(field, message) {
    const target = this.node.querySelector(`[data-error-for=${field}]`) || this.status;
    target.textContent = message;
    target.closest(".field")?.classList.add("has-error");
  }

  collect() {
    const strings = this.workspace.strings;
    const startMs = parseTime(this.fields.start.value);
    const endText = this.fields.end.value.trim();
    const endMs = endText === "" ? null : parseTime(endText);
    let valid = true;
    if (Number.isNaN(startMs)) {
      this.showError("start_ms", strings.invalid_time);
      valid = false;
    }
    if (Number.isNaN(endMs)) {
      this.showError("end_ms", strings.invalid_time);
      valid = false;
    }
    const fields = {
      start_ms: startMs,
      end_ms: endMs,
      category: this.fields.category.value ? Number(this.fields.category.value) : null,
      text: this.fields.text.value,
    };
    if (this.fields.kind) fields.kind = this.fields.kind.value;
    if (this.fields.visibility) fields.visibility = this.fields.visibility.value;
    if (this.fields.linked_to) fields.linked_to = this.fields.linked_to.value ? Number(this.fields.linked_to.value) : null;
    return valid ? fields : null;
  }

  async onSubmit(event) {
    event.preventDefault();
    this.clearErrors();
    const fields = this.collect();
    if (!fields) return;
    try {
      if (this.editing) await this.workspace.update(this.editing.id, fields);
      else await this.workspace.create(fields);
      this.close();
    } catch (failure) {
      this.showServerErrors(failure);
    }
  }

  showServerErrors(failure) {
    // Nothing typed is lost: the form stays open with its values and shows each field's message.
    const body = failure instanceof ApiError && failure.body && typeof failure.body === "object" ? failure.body : null;
    if (!body) {
      this.status.textContent = this.workspace.strings.save_failed;
      return;
    }
    for (const [field, messages] of Object.entries(body)) {
      this.showError(field, Array.isArray(messages) ? messages.join(" ") : String(messages));
    }
    this.node.querySelector(".field.has-error input, .field.has-error select, .field.has-error textarea")?.focus();
  }
}

// --- Workspace: state and wiring ----------------------------------------------------------------------------

class Workspace {
  constructor(root, data) {
    this.root = root;
    this.strings = data.strings;
    this.maxTextLength = data.max_text_length;
    this.categories = new Map(data.categories.map((category) => [category.id, category]));
    this.api = new Api(data.api, data.csrf_token);
    this.liveRegion = root.querySelector("[data-announcer]");
    this.player = new Player(root, data, (text) => this.announce(text));
    this.player.onPlaybackUrlsExpired = () => this.freshSources();
    this.timeline = new Timeline(root, this);
    this.preview = new ScrubPreview(root, this.timeline, data.links || {});
    this.list = new AnnotationList(root, this);
    // Read-only viewers (an administrator with a video grant) get no form and cannot mark moments.
    this.form = root.querySelector("[data-annotation-form]") ? new AnnotationForm(root, this) : null;
    this.inMs = null;
    this.outMs = null;
    this.activeKey = "";
    this.setAnnotations(data.annotations);
  }

  start() {
    this.player.start();
    this.timeline.start();
    this.preview.start();
    this.list.start();
    this.form?.start();
    this.renderAll();
    this.root.querySelector("[data-controls]").addEventListener("click", (event) => this.onControl(event));
    this.root.querySelector("[data-action=make-reel]")?.addEventListener("click", () =>
      this.orderMediaFromControls({ kind: "reel", annotations: [...this.list.reelPicks] }),
    );
    this.root.addEventListener("keydown", (event) => this.onKey(event));
    const follow = () => this.follow();
    this.player.video.addEventListener("timeupdate", follow);
    this.player.video.addEventListener("seeked", follow);
    // Smooth progress while playing; timeupdate alone fires only about four times a second.
    const tick = () => {
      this.timeline.renderPosition(this.player.currentMs());
      if (!this.player.video.paused) requestAnimationFrame(tick);
    };
    this.player.video.addEventListener("play", () => requestAnimationFrame(tick));
    this.player.video.addEventListener("seeked", tick);
  }

  // State -------------------------------------------------------------------------------------------------

  setAnnotations(annotations) {
    this.byId = new Map(annotations.map((annotation) => [annotation.id, annotation]));
    this.topLevel = annotations
      .filter((annotation) => annotation.parent === null)
      .sort((a, b) => a.start_ms - b.start_ms || a.id - b.id);
    this.repliesByParent = new Map();
    for (const annotation of annotations) {
      if (annotation.parent === null) continue;
      const replies = this.repliesByParent.get(annotation.parent) || [];
      replies.push(annotation);
      this.repliesByParent.set(annotation.parent, replies);
    }
    for (const replies of this.repliesByParent.values()) replies.sort((a, b) => a.id - b.id);
    // A link is shown from both sides: the reception points at the initiative, the initiative shows it too.
    this.linkedFrom = new Map();
    for (const annotation of this.topLevel) {
      if (annotation.linked_to !== null && annotation.linked_to !== undefined) {
        this.linkedFrom.set(annotation.linked_to, annotation.id);
      }
    }
    // Widest range first, so the search for what is playing can stop early (see activeAt).
    this.maxActiveSpan = this.topLevel.reduce(
      (widest, annotation) => Math.max(widest, annotationEndMs(annotation) - annotation.start_ms),
      POINT_ACTIVE_MS,
    );
  }

  partnerOf(annotation) {
    const id = annotation.linked_to ?? this.linkedFrom.get(annotation.id);
    return id === undefined || id === null ? null : this.byId.get(id) || null;
  }

  activeAt(ms, limit = Infinity) {
    // Sorted by start, so walking back from `ms` finds the most recently started first; only those that
    // start within the widest span before `ms` can still be running.
    const last = lastAtOrBefore(this.topLevel, ms, (annotation) => annotation.start_ms);
    const active = [];
    for (let index = last; index >= 0 && active.length < limit; index -= 1) {
      const annotation = this.topLevel[index];
      if (ms - annotation.start_ms > this.maxActiveSpan) break;
      if (ms < annotationEndMs(annotation)) active.push(annotation);
    }
    return active.reverse();
  }

  replace(annotations) {
    this.setAnnotations(annotations);
    this.renderAll();
  }

  upsert(annotation) {
    const all = [...this.byId.values()].filter((existing) => existing.id !== annotation.id);
    all.push(annotation);
    this.replace(all);
  }

  // Rendering ---------------------------------------------------------------------------------------------

  renderAll() {
    this.timeline.render(this.topLevel, this.categories);
    this.list.render(this.topLevel, this.repliesByParent);
    this.activeKey = "";
    this.follow();
  }

  follow() {
    const ms = this.player.currentMs();
    this.timeline.renderPosition(ms);
    // The most recent few moments are "current"; dense stretches must not flood the list or the reader.
    const active = this.activeAt(ms, MAX_CURRENT);
    const key = active.map((annotation) => annotation.id).join(",");
    if (key === this.activeKey) return; // Announce changes only, not every tick.
    this.activeKey = key;
    const shown = new Set(active.map((annotation) => annotation.id));
    for (const annotation of active) {
      const partner = this.partnerOf(annotation);
      if (partner) shown.add(partner.id);
    }
    this.timeline.renderActive(shown);
    this.list.renderActive([...shown].map((id) => this.byId.get(id)), this.describe(active));
  }

  describe(active) {
    if (!active.length) return "";
    return active
      .map((annotation) => {
        const category = this.categories.get(annotation.category);
        const partner = this.partnerOf(annotation);
        const text = `${formatTime(annotation.start_ms)} ${category ? category.name : ""}: ${annotation.text}`;
        if (!partner) return text;
        const partnerCategory = this.categories.get(partner.category);
        return `${text} (${format(this.strings.linked_to, {
          time: formatTime(partner.start_ms),
          category: partnerCategory ? partnerCategory.name : "",
        })})`;
      })
      .join(" · ");
  }

  announce(text) {
    // Clear first so the same message twice is still read out.
    this.liveRegion.textContent = "";
    window.setTimeout(() => {
      this.liveRegion.textContent = text;
    }, 50);
  }

  focusPlayer() {
    this.root.querySelector("[data-player-focus]").focus();
  }

  // Actions -----------------------------------------------------------------------------------------------

  jumpTo(id) {
    const annotation = this.byId.get(id);
    if (!annotation) return;
    this.player.video.pause();
    this.player.seek(annotation.start_ms);
    this.follow();
  }

  jumpToNeighbour(direction) {
    const ms = this.player.currentMs();
    const candidates = this.topLevel;
    const index = lastAtOrBefore(candidates, direction > 0 ? ms : ms - 1, (annotation) => annotation.start_ms);
    const target = direction > 0 ? candidates[index + 1] : candidates[index];
    if (target) this.jumpTo(target.id);
  }

  markMoment() {
    if (!this.form) return;
    this.player.video.pause();
    this.form.open({ startMs: this.player.currentMs() });
  }

  markIn() {
    if (!this.form) return;
    this.inMs = this.player.currentMs();
    if (this.outMs !== null && this.outMs <= this.inMs) this.outMs = null;
    this.timeline.renderSelection(this.inMs, this.outMs);
    this.announce(format(this.strings.in_point_set, { time: formatTime(this.inMs) }));
  }

  markOut() {
    if (!this.form) return;
    const outMs = this.player.currentMs();
    if (this.inMs === null || outMs <= this.inMs) {
      this.announce(this.strings.mark_in_first);
      return;
    }
    this.outMs = outMs;
    this.player.video.pause();
    this.timeline.renderSelection(this.inMs, this.outMs);
    this.form.open({ startMs: this.inMs, endMs: this.outMs });
    this.inMs = null;
    this.outMs = null;
    this.timeline.renderSelection(null, null);
  }

  async create(fields) {
    const annotation = await this.api.create(fields);
    this.upsert(annotation);
    this.announce(format(this.strings.saved, { time: formatTime(annotation.start_ms) }));
  }

  async update(id, fields) {
    this.upsert(await this.api.update(id, fields));
    this.announce(this.strings.updated);
  }

  async publish(id) {
    this.upsert(await this.api.publish(id));
    this.announce(this.strings.published);
  }

  async publishAllDrafts() {
    // One request, so the trainee gets one notification rather than one per remark.
    const published = await this.api.publishDrafts();
    const ids = new Set(published.map((annotation) => annotation.id));
    this.replace([...[...this.byId.values()].filter((annotation) => !ids.has(annotation.id)), ...published]);
    this.announce(this.strings.published);
  }

  async toggleResolved(id) {
    const annotation = this.byId.get(id);
    this.upsert(await this.api.resolve(id, !annotation.resolved));
  }

  async remove(id) {
    if (!window.confirm(this.strings.confirm_delete)) return;
    await this.api.remove(id);
    const remaining = [...this.byId.values()].filter((annotation) => annotation.id !== id && annotation.parent !== id);
    this.replace(remaining);
    this.announce(this.strings.deleted);
  }

  async reply(id, text) {
    this.upsert(await this.api.reply(id, text));
    this.announce(this.strings.reply_sent);
  }

  async orderMedia(fields) {
    const item = await this.api.orderMedia(fields);
    const list = this.root.querySelector("[data-media-list]");
    list.querySelector(".muted")?.remove();
    const entry = element("li", {}, `${item.kind} · ${formatTime(item.start_ms)} · ${this.strings.media_ordered}`);
    list.append(entry);
    this.announce(this.strings.media_ordered);
    this.watchMedia(item.id, entry);
    return item;
  }

  async watchMedia(id, entry, attempt = 0) {
    // The worker needs seconds for a still, longer for a reel: ask now and then, give up after ~5 minutes.
    if (attempt > 100) return;
    await new Promise((resolve) => window.setTimeout(resolve, Math.min(1000 + attempt * 500, 5000)));
    const items = await this.api.request("GET", this.api.urls.review_media).catch(() => []);
    const item = items.find((candidate) => candidate.id === id);
    if (!item || item.status === "pending") {
      this.watchMedia(id, entry, attempt + 1);
      return;
    }
    const label = `${item.kind} · ${formatTime(item.start_ms)} · `;
    if (item.download_url) {
      entry.replaceChildren(label, element("a", { href: item.download_url }, this.strings.download));
      this.announce(this.strings.media_ready);
    } else {
      entry.replaceChildren(label, element("span", { class: "badge bad" }, item.error || this.strings.save_failed));
    }
  }

  async orderMediaFromControls(fields) {
    const status = this.root.querySelector("[data-media-status]");
    status.textContent = "";
    try {
      await this.orderMedia(fields);
    } catch (failure) {
      const body = failure instanceof ApiError && failure.body ? Object.values(failure.body).flat().join(" ") : "";
      status.textContent = format(this.strings.media_failed, { reason: body || this.strings.save_failed });
    }
  }

  async freshSources() {
    const response = await this.api.playback();
    return response.links || {};
  }

  // Input -------------------------------------------------------------------------------------------------

  onControl(event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.rate) {
      this.player.setRate(Number(button.dataset.rate));
      return;
    }
    const actions = {
      "toggle-play": () => this.player.togglePlay(),
      "frame-back": () => this.player.stepFrames(-1),
      "frame-forward": () => this.player.stepFrames(1),
      "jump-back": () => this.player.jump(-5000),
      "jump-forward": () => this.player.jump(5000),
      mark: () => this.markMoment(),
      "mark-in": () => this.markIn(),
      "mark-out": () => this.markOut(),
      still: () => this.orderMediaFromControls({ kind: "still", start_ms: this.player.currentMs() }),
    };
    actions[button.dataset.action]?.();
  }

  onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    // Typing in the form must never control the video.
    if (target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape" && this.form && !this.form.node.hidden) this.form.close();
      return;
    }
    // Space on a focused button presses that button, as everywhere else on the web.
    if (event.key === " " && target.closest("button, a")) return;
    const keys = {
      " ": () => this.player.togglePlay(),
      k: () => this.player.togglePlay(),
      ",": () => this.player.stepFrames(-1),
      ".": () => this.player.stepFrames(1),
      j: () => this.player.jump(-5000),
      l: () => this.player.jump(5000),
      ArrowLeft: () => this.player.jump(-5000),
      ArrowRight: () => this.player.jump(5000),
      1: () => this.player.setRate(0.25),
      2: () => this.player.setRate(0.5),
      3: () => this.player.setRate(1),
      m: () => this.markMoment(),
      i: () => this.markIn(),
      o: () => this.markOut(),
      n: () => this.jumpToNeighbour(1),
      p: () => this.jumpToNeighbour(-1),
      Escape: () => this.form && !this.form.node.hidden && this.form.close(),
    };
    const handler = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!handler) return;
    event.preventDefault();
    handler();
  }
}

function boot() {
  const workspaces = [];
  for (const swatch of document.querySelectorAll("[data-colour]")) {
    swatch.style.setProperty("--category-colour", swatch.dataset.colour);
  }
  for (const root of document.querySelectorAll("[data-annotation-workspace]")) {
    const data = JSON.parse(document.getElementById(root.dataset.annotationWorkspace).textContent);
    const workspace = new Workspace(root, data);
    workspace.start();
    performance.mark(`workspace-ready:${root.dataset.annotationWorkspace}`);
    root.workspace = workspace; // For the browser tests and for debugging in the console.
    workspaces.push(workspace);
  }
  // With one player on the page, shortcuts also work before anything has been focused.
  if (workspaces.length === 1) {
    document.addEventListener("keydown", (event) => {
      if (event.target === document.body) workspaces[0].onKey(event);
    });
  }
}

boot();
