// The upload page: a small tus 1.0.0 client (creation, chunked PATCH, resume, pause, retry).
//
// The upload's URL is remembered in localStorage under the recording id and a hash of the file's name,
// size and date, so choosing the same file after a reload continues where it stopped (HEAD tells the
// offset). The file's name itself never leaves the device: the server only gets its extension.
"use strict";

(function () {
  const root = document.getElementById("upload");
  if (!root) {
    return;
  }
  const TUS_VERSION = "1.0.0";
  const MAX_BYTES = Number(root.dataset.maxBytes);
  const RETRY_SECONDS = [1, 2, 4, 8, 15, 30]; // the last delay repeats until the connection is back
  const STORAGE_PREFIX = `tus-upload:${root.dataset.recording}:`;

  const inputs = Array.from(root.querySelectorAll("[data-upload-input]"));
  const progressBox = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  const percentText = document.getElementById("upload-percent");
  const speedText = document.getElementById("upload-speed");
  const etaText = document.getElementById("upload-eta");
  const pauseButton = document.getElementById("upload-pause");
  const resumeButton = document.getElementById("upload-resume");
  const message = document.getElementById("upload-message");

  class Paused extends Error {}
  class Retry extends Error {}
  class Fatal extends Error {}

  function text(name, values) {
    let template = root.dataset[name] || "";
    for (const [key, value] of Object.entries(values || {})) {
      template = template.replace(`{${key}}`, value);
    }
    return template;
  }

  function say(line, isError) {
    message.textContent = line;
    message.classList.toggle("error", Boolean(isError));
  }

  function sleep(seconds) {
    return new Promise((resolve) => window.setTimeout(resolve, seconds * 1000));
  }

  // FNV-1a: a key for localStorage, not a security measure.
  function fingerprint(file) {
    const source = `${file.name}|${file.size}|${file.lastModified}`;
    let hash = 0x811c9dc5;
    for (let i = 0; i < source.length; i += 1) {
      hash ^= source.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return `${STORAGE_PREFIX}${file.size}:${hash.toString(16)}`;
  }

  function base64(value) {
    return window.btoa(unescape(encodeURIComponent(value)));
  }

  function extension(file) {
    const match = /\.([A-Za-z0-9]{1,5})$/.exec(file.name);
    return match ? match[1].toLowerCase() : "bin";
  }

  // Speed over the last ten seconds, so a stall shows quickly and a burst does not flatter.
  class Meter {
    constructor() {
      this.samples = [];
    }
    add(bytes) {
      const now = performance.now();
      this.samples.push([now, bytes]);
      while (this.samples.length > 2 && now - this.samples[0][0] > 10000) {
        this.samples.shift();
      }
    }
    bytesPerSecond() {
      if (this.samples.length < 2) {
        return 0;
      }
      const [t0, b0] = this.samples[0];
      const [t1, b1] = this.samples[this.samples.length - 1];
      return t1 > t0 ? ((b1 - b0) * 1000) / (t1 - t0) : 0;
    }
  }

  class TusUpload {
    constructor(file) {
      this.file = file;
      this.key = fingerprint(file);
      this.url = window.localStorage.getItem(this.key);
      this.offset = 0;
      this.paused = false;
      this.xhr = null;
      this.failures = 0;
      this.generation = 0;
      this.meter = new Meter();
    }

    request(method, url, headers, body) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        this.xhr = xhr;
        xhr.open(method, url);
        xhr.setRequestHeader("Tus-Resumable", TUS_VERSION);
        for (const [name, value] of Object.entries(headers)) {
          xhr.setRequestHeader(name, value);
        }
        if (body) {
          xhr.upload.onprogress = (event) => this.show(this.offset + event.loaded);
        }
        xhr.onload = () => resolve(xhr);
        xhr.onerror = () => reject(new Retry("network"));
        xhr.ontimeout = () => reject(new Retry("timeout"));
        xhr.onabort = () => reject(new Paused());
        xhr.send(body || null);
      });
    }

    forget() {
      window.localStorage.removeItem(this.key);
      this.url = null;
    }

    async head() {
      const xhr = await this.request("HEAD", this.url, {});
      if (xhr.status === 200) {
        this.offset = Number(xhr.getResponseHeader("Upload-Offset"));
      } else if ([403, 404, 410].includes(xhr.status)) {
        this.forget(); // expired or terminated: start a new upload
      } else {
        throw new Retry(String(xhr.status));
      }
    }

    async create() {
      const xhr = await this.request("POST", root.dataset.createUrl, {
        "Upload-Length": String(this.file.size),
        "Upload-Metadata": `filename ${base64(`film.${extension(this.file)}`)},filetype ${base64(this.file.type || "")}`,
      });
      if (xhr.status === 201) {
        this.url = new URL(xhr.getResponseHeader("Location"), window.location.href).href;
        this.offset = 0;
        window.localStorage.setItem(this.key, this.url);
      } else if (xhr.status >= 500 || xhr.status === 0) {
        throw new Retry(String(xhr.status));
      } else {
        throw new Fatal(xhr.responseText || String(xhr.status));
      }
    }

    async patch() {
      const chunk = this.file.slice(this.offset, this.offset + Number(root.dataset.chunkSize));
      const xhr = await this.request(
        "PATCH",
        this.url,
        { "Upload-Offset": String(this.offset), "Content-Type": "application/offset+octet-stream" },
        chunk,
      );
      if (xhr.status === 204) {
        this.offset = Number(xhr.getResponseHeader("Upload-Offset"));
        this.failures = 0;
      } else if (xhr.status === 409 || xhr.status === 423) {
        await this.head(); // someone (an earlier attempt) moved the offset: continue from the server's
      } else if (xhr.status === 404 || xhr.status === 410) {
        this.forget();
        throw new Retry(String(xhr.status));
      } else if (xhr.status >= 500 || xhr.status === 0) {
        throw new Retry(String(xhr.status));
      } else {
        throw new Fatal(xhr.responseText || String(xhr.status));
      }
    }

    async run() {
      if (this.url) {
        say(text("msgResuming"));
        await this.head();
      }
      if (!this.url) {
        await this.create();
      }
      while (this.offset < this.file.size) {
        await this.patch();
        this.show(this.offset);
      }
    }

    async start() {
      // A Resume during a retry's wait starts a new loop; the waiting one notices and stops.
      this.generation += 1;
      const generation = this.generation;
      this.paused = false;
      while (!this.paused && generation === this.generation) {
        try {
          await this.run();
          this.forget();
          return true;
        } catch (error) {
          if (error instanceof Paused || this.paused) {
            return false;
          }
          if (error instanceof Fatal) {
            say(text("msgFailed", { reason: error.message }), true);
            return false;
          }
          const seconds = RETRY_SECONDS[Math.min(this.failures, RETRY_SECONDS.length - 1)];
          this.failures += 1;
          say(text("msgRetrying", { seconds }));
          await sleep(seconds);
        }
      }
      return false;
    }

    pause() {
      this.paused = true;
      if (this.xhr) {
        this.xhr.abort();
      }
      say(text("msgPaused"));
    }

    show(sent) {
      this.meter.add(sent);
      const percent = this.file.size ? Math.floor((sent / this.file.size) * 100) : 100;
      bar.value = percent;
      percentText.textContent = `${percent}%`;
      const speed = this.meter.bytesPerSecond();
      if (speed > 0) {
        speedText.textContent = text("msgSpeed", { speed: (speed / 1e6).toFixed(1) });
        const seconds = Math.round((this.file.size - sent) / speed);
        etaText.textContent =
          seconds >= 90
            ? text("msgEtaMinutes", { minutes: Math.round(seconds / 60) })
            : text("msgEtaSeconds", { seconds });
      }
    }
  }

  let upload = null;

  async function begin(file) {
    if (file.size === 0) {
      say(text("msgEmpty"), true);
      return;
    }
    if (file.size > MAX_BYTES) {
      say(text("msgTooLarge", { limit: (MAX_BYTES / 1024 ** 3).toFixed(1) }), true);
      return;
    }
    inputs.forEach((input) => {
      input.disabled = true;
    });
    document.getElementById("upload-resume-hint").hidden = true;
    progressBox.hidden = false;
    upload = new TusUpload(file);
    await runUpload();
  }

  async function runUpload() {
    pauseButton.hidden = false;
    resumeButton.hidden = true;
    say("");
    if (await upload.start()) {
      bar.value = 100;
      percentText.textContent = "100%";
      pauseButton.hidden = true;
      say(text("msgDone"));
      window.location.assign(root.dataset.doneUrl);
    } else if (!upload.paused) {
      inputs.forEach((input) => {
        input.disabled = false;
      });
    }
  }

  inputs.forEach((input) => {
    input.addEventListener("change", () => {
      if (input.files.length) {
        begin(input.files[0]);
      }
    });
  });
  pauseButton.addEventListener("click", () => {
    upload.pause();
    pauseButton.hidden = true;
    resumeButton.hidden = false;
  });
  resumeButton.addEventListener("click", () => runUpload());

  const interrupted = Object.keys(window.localStorage).some((key) => key.startsWith(STORAGE_PREFIX));
  document.getElementById("upload-resume-hint").hidden = !interrupted;
})();
