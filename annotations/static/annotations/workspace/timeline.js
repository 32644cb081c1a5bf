import { element, formatTime, lastAtOrBefore, parseThumbnailsVtt } from "./helpers.js";

// --- Timeline: markers by category, ranges as bars, in/out points, click and keyboard seeking --------------

export class Timeline {
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

export class ScrubPreview {
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
