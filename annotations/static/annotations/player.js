// The annotation workspace: a video player with an annotation timeline and a list that follows playback.
//
// One isolated set of ES modules, no dependencies. It reads everything it needs from the page's JSON data
// block (rendered with Django's json_script, so it is data, not code: the Content-Security-Policy allows
// it) and talks to the annotations API with fetch. All user text is inserted with textContent, never as HTML.
//
// This entry point holds the state and the wiring (`Workspace`, keyboard, boot); each part of the page has
// its own controller in ./workspace/: helpers.js (time, search, WebVTT; pure), api.js, player.js (video,
// renditions, speed, frame steps), timeline.js (markers, scrubbing, thumbnails), list.js, form.js.

import { Api, ApiError } from "./workspace/api.js";
import { AnnotationForm } from "./workspace/form.js";
import { MAX_CURRENT, POINT_ACTIVE_MS, annotationEndMs, element, format, formatTime, lastAtOrBefore } from "./workspace/helpers.js";
import { AnnotationList } from "./workspace/list.js";
import { Player } from "./workspace/player.js";
import { ScrubPreview, Timeline } from "./workspace/timeline.js";

// --- Workspace: state and wiring ----------------------------------------------------------------------------

export class Workspace {
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
    this.openLinkedMoment();
    // The keyboard help is open on a laptop (keyboards), folded on a phone (no keyboard, little room).
    const shortcuts = this.root.querySelector("[data-shortcuts]");
    if (shortcuts && window.matchMedia("(min-width: 900px)").matches) shortcuts.open = true;
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

  openLinkedMoment() {
    // A notification links to #annotation-N: open the film at that moment and point at the remark (a
    // reply's link opens its thread).
    const match = /^#annotation-(\d+)$/.exec(window.location.hash);
    const linked = match ? this.byId.get(Number(match[1])) : undefined;
    const target = linked && linked.parent !== null ? this.byId.get(linked.parent) : linked;
    if (!target) return;
    // Seek once the film's metadata is in: choosing a rendition sets the source, which starts again at 0.
    const seek = () => {
      this.player.seek(target.start_ms);
      this.follow();
    };
    if (this.player.video.readyState >= 1) seek();
    else this.player.video.addEventListener("loadedmetadata", seek, { once: true });
    const item = this.list.items.get(target.id);
    if (!item) return;
    item.classList.add("pointed-out");
    item.scrollIntoView({ block: "nearest" });
    item.querySelector("[data-list-action=jump]")?.focus({ preventScroll: true });
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
    const entry = element("li", {}, `${item.kind_label} · ${formatTime(item.start_ms)} · ${this.strings.media_ordered}`);
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
    const label = `${item.kind_label} · ${formatTime(item.start_ms)} · `;
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
