/** New case and edit case: the one screen a field worker must get through in under a minute. */
import { addPhoto, changedFields, createCase, editCase, type NewPhoto } from "../cases";
import { getLang, t, tCode } from "../i18n";
import type { PinMap } from "../map";
import { retryRejected } from "../outbox";
import { resizePhoto } from "../photo";
import { GOOD_ACCURACY_M, NO_POSITION, placeIsEnough, positionToStore, type PositionState } from "../position";
import { SEVERITIES, type Case, type CaseFields, type Person, type Sex } from "../types";
import type { Ctx } from "./context";
import { field, h } from "./dom";

const NIK = /^\d{16}$/;

export function renderForm(ctx: Ctx, view: HTMLElement, existing: Case | null, fixSeq: number | null): () => void {
  const openedAt = new Date().toISOString();
  const initial: Partial<Case> = existing ?? {};
  let position: PositionState = existing?.location
    ? { lat: existing.location.lat, lng: existing.location.lng, accuracy: existing.location.accuracy_m, source: existing.location.accuracy_m === null ? "manual" : "gps", accepted: true }
    : { ...NO_POSITION };
  const photos: (NewPhoto & { url: string })[] = [];
  let processing = 0;
  let watchId: number | null = null;
  let map: PinMap | null = null;
  let disposed = false;

  /* ---- fields ---- */
  const categorySearch = h("input", { type: "search", autocomplete: "off", placeholder: t("form.category_search") });
  const category = h("select", { testid: "case-category", required: true, name: "category" });
  const fillCategories = () => {
    const query = categorySearch.value.trim().toLowerCase();
    const selected = category.value || initial.category || "";
    const options = ctx.refs.categories.filter(
      (c) => !query || c.code === selected || `${c.code} ${c.name} ${c.name_en}`.toLowerCase().includes(query),
    );
    category.replaceChildren(
      h("option", { value: "" }, t("form.category_choose")),
      ...options.map((c) => h("option", { value: c.code, selected: c.code === selected }, `${getLang() === "en" ? c.name_en || c.name : c.name} (${c.code})`)),
    );
    if (selected && !ctx.refs.categories.some((c) => c.code === selected)) category.append(h("option", { value: selected, selected: true }, selected));
  };
  fillCategories();
  categorySearch.addEventListener("input", fillCategories);

  const severity = h(
    "select",
    { testid: "case-severity", name: "severity" },
    SEVERITIES.map((s) => h("option", { value: s, selected: s === (initial.severity ?? "medium") }, tCode("severity", s))),
  );
  const summary = h("input", { testid: "case-summary", name: "summary", maxlength: 200, required: true, value: initial.summary ?? "" });
  const description = h("textarea", { testid: "case-description", name: "description", maxlength: 5000, rows: 3 });
  description.value = initial.description ?? "";
  const peopleCount = h("input", { testid: "case-people-count", type: "number", min: 1, max: 500, inputmode: "numeric", value: initial.people_count ?? 1 });
  const address = h("input", { testid: "case-address", name: "address", maxlength: 500, value: initial.address ?? "" });

  const person = initial.person;
  const personName = h("input", { testid: "person-name", maxlength: 200, value: person?.name ?? "" });
  const personAge = h("input", { testid: "person-age", type: "number", min: 0, max: 130, inputmode: "numeric", value: person?.age_estimate ?? "" });
  const personSex = h(
    "select",
    { testid: "person-sex" },
    (["unknown", "male", "female"] as Sex[]).map((s) => h("option", { value: s, selected: s === (person?.sex ?? "unknown") }, tCode("sex", s))),
  );
  const personNik = h("input", { testid: "person-nik", inputmode: "numeric", maxlength: 16, pattern: "\\d{16}", autocomplete: "off", value: person?.nik ?? "" });
  const personBox = h(
    "details",
    { open: person ? true : undefined },
    h("summary", {}, t("form.person")),
    field(t("form.person_name"), personName),
    field(t("form.person_age"), personAge),
    field(t("form.person_sex"), personSex),
    field(t("form.person_nik"), personNik),
  );

  /* ---- photos ---- */
  const photoInput = h("input", { testid: "case-photo", type: "file", accept: "image/*", capture: "environment" });
  const photoList = h("div", { class: "thumbs" });
  const photoStatus = h("p", { class: "hint", role: "status" });
  const renderPhotos = () => {
    photoList.replaceChildren(
      ...photos.map((p, index) =>
        h(
          "figure",
          { class: "thumb" },
          h("img", { src: p.url, alt: `${t("form.photo")} ${index + 1}` }),
          h(
            "button",
            {
              type: "button",
              class: "small",
              onClick: () => {
                URL.revokeObjectURL(p.url);
                photos.splice(index, 1);
                renderPhotos();
              },
            },
            t("form.photo_remove"),
          ),
        ),
      ),
    );
  };
  photoInput.addEventListener("change", async () => {
    const files = Array.from(photoInput.files ?? []);
    photoInput.value = "";
    processing += files.length;
    photoStatus.textContent = t("form.photo_processing");
    update();
    for (const file of files) {
      try {
        const resized = await resizePhoto(file);
        photos.push({ id: crypto.randomUUID(), ...resized, url: URL.createObjectURL(resized.blob) });
        photoStatus.textContent = "";
      } catch {
        photoStatus.textContent = t("form.photo_failed");
      }
      processing--;
      renderPhotos();
      update();
    }
  });

  /* ---- position ---- */
  const gpsStatus = h("p", { testid: "gps-status", role: "status", class: "gps" });
  const coords = h("p", { testid: "case-coords", class: "hint" });
  const acceptFix = h("button", {
    type: "button",
    testid: "gps-accept",
    hidden: true,
    onClick: () => {
      position = { ...position, accepted: true };
      stopWatch();
      update();
    },
  });
  const pinHere = h("button", { type: "button", testid: "pin-here", onClick: () => map?.pinAtCenter() }, t("form.pin_here"));
  const mapNote = h("p", { testid: "map-unavailable", class: "note", hidden: true }, t("form.map_unavailable"));
  const mapBox = h("div", { class: "map", role: "application", "aria-label": t("form.map_label") });
  let gpsMessage = "";

  const stopWatch = () => {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
  };

  const renderPosition = () => {
    const m = position.accuracy === null ? "" : String(Math.round(position.accuracy));
    let text = gpsMessage;
    if (position.source === "manual") text = t("form.pin_manual");
    else if (position.source === "gps" && position.accuracy !== null) {
      if (position.accuracy <= GOOD_ACCURACY_M) text = t("form.gps_good", { m });
      else if (position.accepted) text = t("form.gps_accepted", { m });
      else text = t("form.gps_poor", { m });
    }
    gpsStatus.textContent = text;
    acceptFix.hidden = !(position.source === "gps" && !position.accepted && position.accuracy !== null && position.accuracy > GOOD_ACCURACY_M);
    acceptFix.textContent = t("form.gps_accept", { m });
    coords.textContent = position.lat !== null && position.lng !== null ? t("form.coords", { lat: position.lat.toFixed(6), lng: position.lng.toFixed(6) }) : "";
  };

  if (!existing) {
    if (!("geolocation" in navigator)) gpsMessage = t("form.gps_unsupported");
    else {
      gpsMessage = t("form.gps_waiting");
      watchId = navigator.geolocation.watchPosition(
        (fix) => {
          if (disposed || position.source === "manual" || position.accepted) return;
          position = { lat: fix.coords.latitude, lng: fix.coords.longitude, accuracy: fix.coords.accuracy, source: "gps", accepted: false };
          map?.showFix(fix.coords.latitude, fix.coords.longitude, fix.coords.accuracy);
          if (fix.coords.accuracy <= GOOD_ACCURACY_M) stopWatch();
          update();
        },
        (error) => {
          if (error.code === error.PERMISSION_DENIED) {
            gpsMessage = t("form.gps_denied");
            stopWatch();
            update();
          }
        },
        { enableHighAccuracy: true, maximumAge: 0, timeout: 60_000 },
      );
    }
  }

  void import("../map")
    .then(({ createPinMap }) => {
      if (disposed) return;
      map = createPinMap(mapBox, {
        tileUrl: ctx.refs.config.map_tile_url,
        attribution: "© OpenStreetMap",
        label: t("form.map_label"),
        initial: position.lat !== null && position.lng !== null ? { lat: position.lat, lng: position.lng } : null,
        onManualPin: (lat, lng) => {
          position = { lat, lng, accuracy: null, source: "manual", accepted: true };
          stopWatch();
          update();
        },
        onTilesFailed: () => {
          mapNote.hidden = false;
        },
      });
      if (!navigator.onLine) mapNote.hidden = false;
    })
    .catch(() => {
      mapNote.hidden = false;
      pinHere.hidden = true;
    });

  /* ---- saving ---- */
  const save = h("button", { type: "submit", class: "primary big", testid: "case-save" }, t("form.save"));
  const missing = h("p", { class: "hint", testid: "save-hint", role: "status" });
  const error = h("p", { class: "error", role: "alert" });

  const problems = (): string[] => {
    const out: string[] = [];
    if (!category.value) out.push(t("form.need_category"));
    if (!summary.value.trim()) out.push(t("form.need_summary"));
    if (!placeIsEnough(position, address.value)) out.push(t("form.need_place"));
    if (personNik.value && !NIK.test(personNik.value)) out.push(t("form.nik_invalid"));
    if (!validPeopleCount()) out.push(t("form.people_count_invalid"));
    return out;
  };

  function update(): void {
    renderPosition();
    const list = problems();
    save.disabled = list.length > 0 || processing > 0;
    missing.textContent = processing > 0 ? t("form.photo_processing") : list.join(" ");
  }

  function validPeopleCount(): boolean {
    const n = Number(peopleCount.value);
    return Number.isInteger(n) && n >= 1 && n <= 500;
  }

  const personValue = (): Person | null => {
    const age = personAge.value === "" ? null : Math.round(Number(personAge.value));
    const touched = personName.value.trim() || age !== null || personNik.value || personSex.value !== "unknown";
    if (!touched) return null;
    return { name: personName.value.trim(), age_estimate: Number.isFinite(age) ? age : null, sex: personSex.value as Sex, nik: personNik.value || null };
  };

  const form = h(
    "form",
    {
      class: "case-form",
      novalidate: true,
      onInput: update,
      onChange: update,
      onSubmit: async (event: Event) => {
        event.preventDefault();
        update();
        if (save.disabled) return;
        save.disabled = true;
        const fields: CaseFields = {
          category: category.value,
          severity: severity.value as Case["severity"],
          summary: summary.value.trim(),
          description: description.value,
          address: address.value.trim(),
          location: positionToStore(position),
          people_count: Number(peopleCount.value),
          person: personValue(),
        };
        try {
          if (!existing) {
            await createCase(ctx.db, { ...fields, observed_at: openedAt }, photos);
            ctx.toast(t("form.saved"));
            ctx.changed();
            ctx.go("#/");
            return;
          }
          if (fixSeq !== null) await retryRejected(ctx.db, fixSeq, changedFields(existing, fields));
          else if (!(await editCase(ctx.db, existing.id, fields)) && photos.length === 0) ctx.toast(t("form.no_changes"));
          if (photos.length) {
            for (const photo of photos) await addPhoto(ctx.db, existing.id, photo);
          }
          ctx.changed();
          ctx.go(`#/case/${existing.id}`);
        } catch (err) {
          error.textContent = t("error.generic", { message: err instanceof Error ? err.message : String(err) });
          save.disabled = false;
        }
      },
    },
    h("h1", {}, existing ? t("form.edit_title") : t("form.new_title")),
    field(t("form.category_search"), categorySearch),
    field(t("form.category"), category),
    field(t("form.severity"), severity),
    field(t("form.summary"), summary),
    field(t("form.description"), description),
    field(t("form.people_count"), peopleCount),
    h(
      "fieldset",
      {},
      h("legend", {}, t("form.location")),
      gpsStatus,
      acceptFix,
      mapBox,
      mapNote,
      h("div", { class: "row" }, pinHere),
      coords,
      field(t("form.address"), address),
    ),
    h("fieldset", {}, h("legend", {}, t("form.photo")), field(t("form.photo_take"), photoInput), photoStatus, photoList),
    personBox,
    missing,
    error,
    h("div", { class: "row form-buttons" }, h("button", { type: "button", onClick: () => ctx.go(existing ? `#/case/${existing.id}` : "#/") }, t("form.cancel")), save),
  );
  view.replaceChildren(form);
  update();

  return () => {
    disposed = true;
    stopWatch();
    map?.destroy();
    for (const p of photos) URL.revokeObjectURL(p.url);
  };
}
