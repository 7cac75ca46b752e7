// The search pickers (core.forms.SearchPicker). A choice picked among those found takes the place of the one
// made before, beside "all", and the list closes; Escape, or going to anything outside the picker, closes it
// too. The listener runs while the change event is captured, before the filter form's own (htmx) hears it, so
// the form is sent with the new choice.
//
// A list closed stays closed until its box is typed in or gone back to: a search answered after it closed
// (sent before, or the delayed one of the last keystrokes) is not shown.
const close = (picker) => {
  picker.dataset.closed = "";
  picker.querySelector(".found").replaceChildren();
};
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
    close(picker);
    picker.querySelector("input[type=search]").value = "";
  },
  true,
);
const reopen = (event) => {
  if (!(event.target instanceof HTMLInputElement) || event.target.type !== "search") return;
  const picker = event.target.closest(".search-picker");
  if (picker) delete picker.dataset.closed;
};
document.addEventListener("input", reopen);
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (!(target instanceof Element) || !target.matches(".search-picker .found")) return;
  if ("closed" in target.closest(".search-picker").dataset) event.detail.shouldSwap = false;
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const picker = event.target.closest(".search-picker");
  if (picker) close(picker);
});
// the lists close on what is pressed or focused next, outside them. Pressing a label in a list focuses the
// nearest focusable ancestor (<main>, whose tabindex lets the skip link reach it): that focus, which holds the
// picker pressed in, is no leaving it, or the list would close before the click picked the choice
let pressedIn = null;
const closeAllBut = (inside) => {
  document.querySelectorAll(".search-picker").forEach((picker) => {
    if (picker !== inside) close(picker);
  });
};
document.addEventListener("pointerdown", (event) => {
  pressedIn = event.target instanceof Element ? event.target.closest(".search-picker") : null;
  closeAllBut(pressedIn);
});
document.addEventListener("click", () => {
  pressedIn = null;
});
document.addEventListener("focusin", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const inside =
    target?.closest(".search-picker") ?? (pressedIn && target?.contains(pressedIn) ? pressedIn : null);
  closeAllBut(inside);
  reopen(event);
});
