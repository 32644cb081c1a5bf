// Recording detail page: follow processing by polling the small status endpoint, and keep the player's
// short-lived links fresh (they expire after a few minutes; a long viewing fetches new ones).
(function () {
  "use strict";

  var POLL_MS = 3000;
  var WAITING = ["awaiting_upload", "processing"];
  var section = document.getElementById("recording-status");

  function poll() {
    fetch(section.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.status !== section.dataset.status) {
          // A new state brings new parts (player, reason, upload link): let the server render them.
          window.location.reload();
          return;
        }
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
        if (WAITING.indexOf(data.status) !== -1) { window.setTimeout(poll, POLL_MS); }
      })
      .catch(function () { window.setTimeout(poll, POLL_MS * 3); });
  }

  if (section && WAITING.indexOf(section.dataset.status) !== -1) {
    window.setTimeout(poll, POLL_MS);
  }

  var player = document.getElementById("player");
  if (!player) { return; }
  var video = player.querySelector("video");
  var quality = player.querySelector("[data-quality]");

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

  if (quality) {
    quality.addEventListener("change", function () {
      var url = video.dataset[quality.value];
      if (url) { switchTo(url); }
    });
  }

  var refreshing = false;
  video.addEventListener("error", function () {
    // Most likely the link expired while paused or seeking: ask for fresh links and continue there.
    if (refreshing) { return; }
    refreshing = true;
    fetch(player.dataset.playbackUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.links) { return; }
        video.dataset.high = data.links.high || "";
        video.dataset.low = data.links.low || "";
        var wanted = (quality && video.dataset[quality.value]) || data.links.high || data.links.low;
        if (wanted) { switchTo(wanted); }
      })
      .finally(function () { window.setTimeout(function () { refreshing = false; }, 10000); });
  });
})();
