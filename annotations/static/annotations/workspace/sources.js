// Which playback link this browser plays. Every player on the platform asks this one function, so the
// workspace and the recording page never disagree about the film a person sees.
//
// `links` are the short-lived playback links per rendition kind (see recordings/playback.py); an HEVC
// copy comes with `hevc_codecs`, its RFC 6381 codecs string. Returns `{ kind, url }`, or null while
// nothing this browser can play exists yet (the page then says the film is still being prepared).
// Branches are tried in order of preference: add a new kind of source as one more entry.

const CHOICES = [
  // The original's HEVC picture, copied: only where the browser says it decodes exactly this HEVC.
  (links, video) => (links.hevc && decodes(video, links.hevc_codecs) ? { kind: "hevc", url: links.hevc } : null),
  (links) => (links.high ? { kind: "high", url: links.high } : null),
  (links) => (links.low ? { kind: "low", url: links.low } : null),
];

export function chooseSource(links, video) {
  for (const choice of CHOICES) {
    const source = choice(links || {}, video);
    if (source) return source;
  }
  return null;
}

function decodes(video, codecs) {
  if (!codecs) return false;
  const type = `video/mp4; codecs="${codecs}"`;
  // MediaSource answers for the decoder itself; canPlayType's "probably" is the element's own word.
  if (window.MediaSource?.isTypeSupported?.(type)) return true;
  return Boolean(video?.canPlayType) && video.canPlayType(type) === "probably";
}
