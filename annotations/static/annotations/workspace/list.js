import { fieldMessage } from "./api.js";
import { element, format, formatTime } from "./helpers.js";

// --- Annotation list: follows playback, jump on click, replies, publish ----------------------------------

export class AnnotationList {
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
    const countText = annotations.length === 1 ? strings.count_one : strings.count_other;
    this.count.textContent = format(countText, { count: annotations.length });
    const drafts = annotations.some((annotation) => annotation.can_publish);
    if (this.publishAll) this.publishAll.hidden = !drafts;
  }

  renderItem(annotation, replies) {
    const strings = this.workspace.strings;
    const category = this.workspace.categories.get(annotation.category);
    // The id is the target of a notification's link (#annotation-N): the workspace opens at that moment.
    const item = element("li", { class: "annotation", id: `annotation-${annotation.id}`, "data-annotation": annotation.id });
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
