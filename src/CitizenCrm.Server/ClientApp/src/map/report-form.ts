import { ApiError, appUrl, postForm } from "../common/api";
import { applyTexts, formatDate, type Lang } from "../common/i18n";
import { L } from "./leaflet-setup";
import type { CatalogueService, ReportReceipt, ServiceAttribute } from "./model";
import { fill, texts } from "./texts";

const template = `
  <h2 id="report-heading" data-i18n="reportHeading"></h2>
  <div class="report-body">
    <p id="report-howto" data-i18n="reportHowTo"></p>
    <form id="report-form" novalidate>
      <div id="form-errors" class="error-summary" role="alert" tabindex="-1" hidden></div>
      <fieldset class="field" id="field-lat">
        <legend data-i18n="place"></legend>
        <button type="button" id="place-centre" class="secondary" data-i18n="placeAtCentre"></button>
        <p id="point-text" class="hint" aria-live="polite"></p>
        <p class="field-error" id="error-lat" hidden></p>
      </fieldset>
      <div class="field" id="field-service_code">
        <label for="service_code"><span data-i18n="chooseService"></span> <span class="req" data-i18n="required"></span></label>
        <select id="service_code" name="service_code" required aria-describedby="error-service_code"></select>
        <p class="field-error" id="error-service_code" hidden></p>
      </div>
      <fieldset id="questions" class="questions" hidden>
        <legend data-i18n="questions"></legend>
        <div id="question-list"></div>
      </fieldset>
      <div class="field" id="field-description">
        <label for="description" data-i18n="description"></label>
        <p class="hint" id="hint-description" data-i18n="descriptionHint"></p>
        <textarea id="description" name="description" rows="4" maxlength="4000" aria-describedby="hint-description error-description"></textarea>
        <p class="field-error" id="error-description" hidden></p>
      </div>
      <div class="field" id="field-address_string">
        <label for="address_string"><span data-i18n="address"></span> <span data-i18n="optional"></span></label>
        <p class="hint" id="hint-address" data-i18n="addressHint"></p>
        <input id="address_string" name="address_string" type="text" maxlength="300" autocomplete="street-address" aria-describedby="hint-address error-address_string">
        <p class="field-error" id="error-address_string" hidden></p>
      </div>
      <div class="field" id="field-media">
        <label for="photo"><span data-i18n="photos"></span> <span data-i18n="optional"></span></label>
        <p class="hint" id="hint-photo" data-i18n="photosHint"></p>
        <input id="photo" name="photo" type="file" multiple accept="image/jpeg,image/png,image/webp" aria-describedby="hint-photo error-media">
        <ul id="photo-previews" class="photo-previews"></ul>
        <p class="field-error" id="error-media" hidden></p>
      </div>
      <fieldset class="about-you">
        <legend data-i18n="aboutYou"></legend>
        <p class="hint" data-i18n="aboutYouHint"></p>
        <div class="field" id="field-name">
          <label for="name" data-i18n="name"></label>
          <input id="name" name="name" type="text" maxlength="200" autocomplete="name" aria-describedby="error-name">
          <p class="field-error" id="error-name" hidden></p>
        </div>
        <div class="field" id="field-email">
          <label for="email" data-i18n="email"></label>
          <input id="email" name="email" type="email" maxlength="254" autocomplete="email" aria-describedby="error-email">
          <p class="field-error" id="error-email" hidden></p>
        </div>
        <div class="field" id="field-phone">
          <label for="phone" data-i18n="phone"></label>
          <input id="phone" name="phone" type="tel" maxlength="40" autocomplete="tel" aria-describedby="error-phone">
          <p class="field-error" id="error-phone" hidden></p>
        </div>
      </fieldset>
      <div class="honeypot" aria-hidden="true">
        <label for="website" data-i18n="honeypot"></label>
        <input id="website" name="website" type="text" tabindex="-1" autocomplete="off">
      </div>
      <button type="submit" id="send" class="primary" data-i18n="send"></button>
    </form>
  </div>
  <div id="report-done" class="report-done" hidden tabindex="-1"></div>`;

type Point = L.LatLng;

/** The report: a place on the map, a service, its questions, a description, photos and optional contact details. */
export class ReportForm {
  private services: CatalogueService[] = [];
  private point: Point | undefined;
  private marker: L.Marker | undefined;
  private readonly form: HTMLFormElement;
  private previews: string[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly map: L.Map,
    private lang: Lang,
    private readonly onSent: (receipt: ReportReceipt, point: Point, service: CatalogueService) => void,
  ) {
    root.innerHTML = template;
    this.form = root.querySelector("#report-form")!;
    map.on("click", (e: L.LeafletMouseEvent) => this.place(e.latlng));
    this.$("#place-centre").addEventListener("click", () => this.place(map.getCenter()));
    // Without a mouse: the arrow keys move the map (Leaflet's keyboard handler), Enter puts the point at its centre.
    map.getContainer().addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target === map.getContainer()) {
        e.preventDefault();
        this.place(map.getCenter());
      }
    });
    this.$<HTMLSelectElement>("#service_code").addEventListener("change", () => this.renderQuestions());
    this.$<HTMLInputElement>("#photo").addEventListener("change", () => this.renderPreviews());
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send();
    });
    this.render();
  }

  private $<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.root.querySelector<T>(selector)!;
  }

  private get t() {
    return texts[this.lang];
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  setServices(services: CatalogueService[]): void {
    this.services = services;
    const select = this.$<HTMLSelectElement>("#service_code");
    const chosen = select.value;
    select.replaceChildren(new Option(this.t.chooseServicePrompt, ""));
    for (const s of services) select.append(new Option(s.name, s.code, false, s.code === chosen));
    this.renderQuestions();
  }

  private render(): void {
    applyTexts(this.root, this.t);
    this.renderPoint();
    const prompt = this.$<HTMLSelectElement>("#service_code").options[0];
    if (prompt) prompt.textContent = this.t.chooseServicePrompt;
    this.marker?.getElement()?.setAttribute("aria-label", this.t.pointMarker);
  }

  private place(latlng: L.LatLng): void {
    if (!this.form.isConnected || this.$("#report-done").hidden === false) return;
    this.point = latlng;
    if (!this.marker) {
      this.marker = L.marker(latlng, { draggable: true, keyboard: true, title: this.t.pointMarker, alt: this.t.pointMarker });
      this.marker.on("dragend", () => {
        this.point = this.marker!.getLatLng();
        this.renderPoint();
      });
      this.marker.addTo(this.map);
      this.marker.getElement()?.classList.add("new-report-marker");
    } else this.marker.setLatLng(latlng);
    this.showError("lat", []);
    this.renderPoint();
  }

  private renderPoint(): void {
    this.$("#point-text").textContent = this.point
      ? fill(this.t.pointPlaced, { lat: this.point.lat.toFixed(5), lng: this.point.lng.toFixed(5) })
      : this.t.pointNone;
  }

  private selectedService(): CatalogueService | undefined {
    const code = this.$<HTMLSelectElement>("#service_code").value;
    return this.services.find((s) => s.code === code);
  }

  /** One control per question of the chosen service, as its Open311 attribute says (datatype, required, values). */
  private renderQuestions(): void {
    const service = this.selectedService();
    const box = this.$("#questions");
    const list = this.$("#question-list");
    // Answers already given survive a change of language (same service, same codes).
    const previous = new FormData(this.form);
    list.replaceChildren();
    const questions = [...(service?.attributes ?? [])].sort((a, b) => a.order - b.order);
    box.hidden = questions.length === 0;
    for (const q of questions) list.append(this.question(q, previous));
  }

  private question(q: ServiceAttribute, previous: FormData): HTMLElement {
    const field = `attribute[${q.code}]`;
    const id = `q-${q.code}`;
    const wrapper = document.createElement("div");
    wrapper.className = "field";
    wrapper.id = `field-${field}`;
    const error = document.createElement("p");
    error.className = "field-error";
    error.id = `error-${field}`;
    error.hidden = true;
    const need = document.createElement("span");
    need.className = q.required ? "req" : "";
    need.textContent = ` ${q.required ? this.t.required : this.t.optional}`;

    if (q.datatype === "multivaluelist") {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.append(q.description, need);
      set.append(legend);
      const given = previous.getAll(`${field}[]`);
      q.values.forEach((v, i) => {
        const label = document.createElement("label");
        label.className = "choice";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = `${field}[]`;
        box.value = v.key;
        box.id = `${id}-${i}`;
        box.checked = given.includes(v.key);
        box.setAttribute("aria-describedby", error.id);
        label.append(box, ` ${v.name}`);
        set.append(label);
      });
      set.append(error);
      wrapper.append(set);
      return wrapper;
    }

    const label = document.createElement("label");
    label.htmlFor = id;
    label.append(q.description, need);
    let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (q.datatype === "singlevaluelist") {
      const select = document.createElement("select");
      select.append(new Option(this.t.chooseServicePrompt, ""));
      for (const v of q.values) select.append(new Option(v.name, v.key));
      control = select;
    } else if (q.datatype === "text") {
      control = document.createElement("textarea");
      control.rows = 3;
    } else {
      const input = document.createElement("input");
      input.type = q.datatype === "number" ? "number" : q.datatype === "datetime" ? "datetime-local" : "text";
      if (q.datatype === "number") input.step = "any";
      control = input;
    }
    control.id = id;
    control.name = field;
    control.required = q.required;
    control.setAttribute("aria-describedby", error.id);
    const before = previous.get(field);
    if (typeof before === "string") control.value = before;
    wrapper.append(label, control, error);
    return wrapper;
  }

  private renderPreviews(): void {
    this.previews.forEach((u) => URL.revokeObjectURL(u));
    this.previews = [];
    const list = this.$("#photo-previews");
    list.replaceChildren();
    for (const file of Array.from(this.$<HTMLInputElement>("#photo").files ?? [])) {
      const item = document.createElement("li");
      const img = document.createElement("img");
      const url = URL.createObjectURL(file);
      this.previews.push(url);
      img.src = url;
      img.alt = file.name;
      item.append(img);
      list.append(item);
    }
  }

  private showError(field: string, messages: string[]): boolean {
    const el = this.root.querySelector<HTMLElement>(`[id="error-${field}"]`);
    if (!el) return false;
    el.textContent = messages.join(" ");
    el.hidden = messages.length === 0;
    const control = this.root.querySelector<HTMLElement>(`[id="field-${field}"] :is(input, select, textarea)`);
    if (control) control.setAttribute("aria-invalid", String(messages.length > 0));
    return true;
  }

  private clearErrors(): void {
    this.root.querySelectorAll<HTMLElement>(".field-error").forEach((e) => {
      e.hidden = true;
      e.textContent = "";
    });
    this.root.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
    const summary = this.$("#form-errors");
    summary.hidden = true;
    summary.replaceChildren();
  }

  /** The server's refusal shown where it belongs: beside each field, and listed at the top for screen readers. */
  private showProblem(problem: ApiError["problem"]): void {
    const summary = this.$("#form-errors");
    const intro = document.createElement("p");
    const list = document.createElement("ul");
    if (problem.status === 429) intro.textContent = this.t.tooMany;
    else if (problem.errors && Object.keys(problem.errors).length > 0) {
      intro.textContent = this.t.fixErrors;
      for (const [field, messages] of Object.entries(problem.errors)) {
        // lat and long are one place on the page; first_name and last_name are its one name field.
        const target = field === "long" ? "lat" : field === "first_name" || field === "last_name" ? "name" : field;
        this.showError(target, messages);
        const item = document.createElement("li");
        item.textContent = messages.join(" ");
        list.append(item);
      }
    } else intro.textContent = problem.detail ? `${this.t.failed} ${problem.detail}` : this.t.failed;
    summary.replaceChildren(intro, list);
    summary.hidden = false;
    summary.focus();
  }

  private async send(): Promise<void> {
    this.clearErrors();
    const button = this.$<HTMLButtonElement>("#send");
    const data = new FormData(this.form);
    data.delete("photo");
    for (const file of Array.from(this.$<HTMLInputElement>("#photo").files ?? [])) data.append("photo", file, file.name);
    if (this.point) {
      data.set("lat", this.point.lat.toFixed(6));
      data.set("long", this.point.lng.toFixed(6));
    }
    // A datetime-local answer has no offset; the city's clock is meant.
    const service = this.selectedService();
    button.disabled = true;
    button.textContent = this.t.sending;
    try {
      const receipt = await postForm<ReportReceipt>("/api/public/reports", data);
      this.showReceipt(receipt);
      if (this.point && service) this.onSent(receipt, this.point, service);
    } catch (e) {
      if (e instanceof ApiError) this.showProblem(e.problem);
      else this.showProblem({ status: 0 });
    } finally {
      button.disabled = false;
      button.textContent = this.t.send;
    }
  }

  private showReceipt(r: ReportReceipt): void {
    const done = this.$("#report-done");
    const heading = document.createElement("p");
    heading.className = "thanks";
    heading.textContent = this.t.thanks;
    const number = document.createElement("p");
    number.id = "registration-number";
    number.textContent = fill(this.t.registered, {
      number: r.registrationNumber,
      date: formatDate(r.registeredOn, this.lang),
      due: formatDate(r.dueOn, this.lang),
    });
    const link = document.createElement("a");
    link.id = "follow-link";
    link.href = appUrl(r.url);
    link.textContent = fill(this.t.follow, { id: r.id });
    done.replaceChildren(heading, number, link);
    if (r.photosAwaitingReview > 0) {
      const photos = document.createElement("p");
      photos.textContent = fill(this.t.photosReview, { count: r.photosAwaitingReview });
      done.append(photos);
    }
    const again = document.createElement("button");
    again.type = "button";
    again.className = "secondary";
    again.textContent = this.t.another;
    again.addEventListener("click", () => this.reset());
    done.append(again);
    this.$(".report-body").hidden = true;
    done.hidden = false;
    this.marker?.remove();
    this.marker = undefined;
    done.focus();
  }

  private reset(): void {
    this.form.reset();
    this.point = undefined;
    this.renderPreviews();
    this.renderQuestions();
    this.renderPoint();
    this.$("#report-done").hidden = true;
    this.$(".report-body").hidden = false;
    this.$<HTMLSelectElement>("#service_code").focus();
  }
}
