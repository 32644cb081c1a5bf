// The annotations API, spoken with fetch (same-origin session and CSRF token).

export class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export class Api {
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

export function fieldMessage(failure, field) {
  const body = failure instanceof ApiError ? failure.body : null;
  const messages = body && body[field];
  return Array.isArray(messages) ? messages.join(" ") : messages || "";
}
