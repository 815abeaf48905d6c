// Institution picker: a result button fills the text box and the hidden institution id.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-pick-institution]");
  if (!button) return;
  event.preventDefault();
  var form = button.closest("form");
  form.querySelector("[name=institution]").value = button.dataset.pickInstitution;
  form.querySelector("[name=institution_text]").value = button.dataset.name;
  var list = button.closest(".results");
  if (list) list.innerHTML = "";
});
document.addEventListener("input", function (event) {
  if (event.target.name === "institution_text") {
    var hidden = event.target.form.querySelector("[name=institution]");
    if (hidden) hidden.value = "";
  }
});
