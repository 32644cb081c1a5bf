// Pure helpers of the annotation workspace: time notation, search, WebVTT, DOM building. No state.

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
export const POINT_ACTIVE_MS = 3000;
// At most this many annotations are highlighted and read out as current at once.
export const MAX_CURRENT = 3;

export function annotationEndMs(annotation) {
  return annotation.end_ms ?? annotation.start_ms + POINT_ACTIVE_MS;
}

export function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  if (text) node.textContent = text;
  return node;
}

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
