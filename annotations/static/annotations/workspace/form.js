import { ApiError } from "./api.js";
import { formatTime, parseTime } from "./helpers.js";

// --- The new/edit annotation form ---------------------------------------------------------------------------

export class AnnotationForm {
  constructor(root, workspace) {
    this.node = root.querySelector("[data-annotation-form]");
    this.title = this.node.querySelector("[data-form-title]");
    this.fields = {};
    for (const name of ["start", "end", "category", "contact", "kind", "visibility", "linked_to", "text"]) {
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
    if (this.fields.contact) this.fields.contact.value = annotation.contact ?? "";
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
    if (this.fields.contact) fields.contact = this.fields.contact.value;
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
