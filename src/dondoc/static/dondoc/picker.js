// The search pickers (core.forms.SearchPicker). A choice picked among those found takes the place of the one
// made before, beside "all", and the list closes; Escape, or going to anything outside the picker, closes it too. The listener runs while the change
// event is captured, before the filter form's own (htmx) hears it, so the form is sent with the new choice.
document.addEventListener(
  "change",
  (event) => {
    const radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") return;
    const found = radio.closest(".search-picker .found");
    if (!found) return;
    const picker = found.closest(".search-picker");
    const chosen = picker.querySelector(".chosen");
    chosen.querySelectorAll(".choice:not(:first-child)").forEach((choice) => choice.remove());
    chosen.append(radio.closest(".choice"));
    found.replaceChildren();
    picker.querySelector("input[type=search]").value = "";
  },
  true,
);
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const picker = event.target.closest(".search-picker");
  if (picker) picker.querySelector(".found").replaceChildren();
});
// pressing on a label inside the list moves no focus, so the lists close on what is pressed or focused next
const closeOthers = (event) => {
  const inside = event.target instanceof Element ? event.target.closest(".search-picker") : null;
  document.querySelectorAll(".search-picker").forEach((picker) => {
    if (picker !== inside) picker.querySelector(".found").replaceChildren();
  });
};
document.addEventListener("pointerdown", closeOthers);
document.addEventListener("focusin", closeOthers);
