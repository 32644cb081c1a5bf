// Recording detail page: follow processing by polling the small status endpoint, play the link this
// browser can play (chooseSource, shared with the annotation workspace), and keep the player's
// short-lived links fresh (they expire after a few minutes; a long viewing fetches new ones).
import { chooseSource } from "../annotations/workspace/sources.js";

(function () {
  "use strict";

  var POLL_MS = 3000;
  // "playable" still polls: the low rendition, poster and sprite are being made after the fast path.
  var WAITING = ["awaiting_upload", "processing", "playable"];
  var section = document.getElementById("recording-status");
  var player = document.getElementById("player");
  var video = player ? player.querySelector("video") : null;
  var quality = player ? player.querySelector("[data-quality]") : null;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  function showProgress(data) {
    var progress = document.getElementById("recording-progress");
    if (progress) {
      progress.value = data.progress;
      progress.textContent = data.progress + "%";
      var text = section.querySelector("[data-progress-text]");
      if (text) { text.textContent = data.progress + "%"; }
    }
    data.renditions.forEach(function (rendition) {
      var cell = section.querySelector('[data-rendition="' + rendition.kind + '"]');
      if (cell) { cell.textContent = rendition.status_label; }
    });
  }

  function poll() {
    getJSON(section.dataset.statusUrl)
      .then(function (data) {
        if (!data) { return; }
        if (data.status !== section.dataset.status) {
          if (video && data.status === "ready") {
            // Finished while someone may be watching: no reload, just offer the new versions.
            section.dataset.status = data.status;
            var badge = section.querySelector("[data-status-badge]");
            if (badge) { badge.textContent = data.status_label; }
            showProgress(data);
            refreshLinks(false);
            return;
          }
          // Any other new state brings new parts (player, reason, upload link): let the server render them.
          window.location.reload();
          return;
        }
        showProgress(data);
        if (WAITING.indexOf(data.status) !== -1) { window.setTimeout(poll, POLL_MS); }
      })
      .catch(function () { window.setTimeout(poll, POLL_MS * 3); });
  }

  if (section && WAITING.indexOf(section.dataset.status) !== -1) {
    window.setTimeout(poll, POLL_MS);
  }

  if (!video) { return; }

  function switchTo(url) {
    var at = video.currentTime;
    var playing = !video.paused;
    video.src = url;
    video.addEventListener("loadedmetadata", function once() {
      video.removeEventListener("loadedmetadata", once);
      video.currentTime = at;
      if (playing) { video.play(); }
    });
  }

  function links() {
    var data = video.dataset;
    return { high: data.high, low: data.low, hevc: data.hevc, hevc_codecs: data.hevcCodecs };
  }

  // "High" plays the best source this browser has (the HEVC copy where it decodes HEVC).
  function urlFor(kind) {
    if (kind === "low") { return video.dataset.low; }
    var best = chooseSource(links(), video);
    return best && best.kind !== "low" ? best.url : "";
  }

  function offer(kind, label) {
    if (!quality || quality.querySelector('option[value="' + kind + '"]')) { return; }
    var option = document.createElement("option");
    option.value = kind;
    option.textContent = label;
    quality.appendChild(option);
  }

  function refreshLinks(resume) {
    return getJSON(player.dataset.playbackUrl).then(function (data) {
      if (!data || !data.links) { return; }
      video.dataset.high = data.links.high || "";
      video.dataset.low = data.links.low || "";
      video.dataset.hevc = data.links.hevc || "";
      video.dataset.hevcCodecs = data.links.hevc_codecs || "";
      var best = chooseSource(data.links, video);
      if (best && best.kind !== "low") { offer("high", player.dataset.labelHigh); }
      if (data.links.low) { offer("low", player.dataset.labelLow); }
      if (resume || !video.getAttribute("src")) {
        var wanted = (quality && urlFor(quality.value)) || (best && best.url);
        if (wanted) { showFilm(); switchTo(wanted); }
      }
    });
  }

  function showFilm() {
    var note = player.querySelector("[data-preparing]");
    if (note) { note.remove(); }
    video.hidden = false;
  }

  function start() {
    var source = chooseSource(links(), video);
    if (!source && player.dataset.segments) { return; } // the finished segments play (below)
    if (!source) {
      // Playable from a copy this browser cannot decode (HEVC): the H.264 version is still being made.
      var note = document.createElement("p");
      note.className = "preparing";
      note.setAttribute("role", "status");
      note.setAttribute("data-preparing", "");
      note.textContent = player.dataset.labelPreparing;
      video.hidden = true;
      video.parentNode.appendChild(note);
      return;
    }
    if (quality) { quality.value = source.kind === "low" ? "low" : "high"; }
    video.src = source.url;
  }

  start();

  if (quality) {
    quality.addEventListener("change", function () {
      var url = urlFor(quality.value);
      if (url) { switchTo(url); }
    });
  }

  // Still being encoded: play the finished segments (an ES module, loaded only then) until the whole
  // film is ready, then continue in it at the same moment.
  if (player.dataset.segments && !chooseSource(links(), video)) {
    import(player.dataset.segmentedModule).then(function (segmented) {
      var early = segmented.playSegments(video, player.dataset.segments, {
        strings: {
          early_minutes_one: player.dataset.earlyMinutesOne,
          early_minutes_other: player.dataset.earlyMinutesOther,
          early_seconds_one: player.dataset.earlySecondsOne,
          early_seconds_other: player.dataset.earlySecondsOther
        },
        noticeAfter: video.parentElement,
        onComplete: function () {
          early.stop();
          refreshLinks(true);
        }
      });
    });
  }

  var refreshing = false;
  video.addEventListener("error", function () {
    // Most likely the link expired while paused or seeking: ask for fresh links and continue there.
    if (refreshing) { return; }
    refreshing = true;
    refreshLinks(true).finally(function () {
      window.setTimeout(function () { refreshing = false; }, 10000);
    });
  });
})();
