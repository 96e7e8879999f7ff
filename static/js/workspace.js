/* The session workspace, progressively enhanced (everything works without it): while the
 * check-in is being filled in, the quorum is counted again from the radios before saving, so
 * the secretariat sees at once whether the full members at the door make the quorum. The
 * saved count (above it) stays what the server says. */
(function () {
  "use strict";
  var form = document.getElementById("check-in-form");
  var preview = document.getElementById("quorum-preview");
  if (!form || !preview) return;
  var needed = parseInt(preview.getAttribute("data-needed"), 10);
  var members = parseInt(preview.getAttribute("data-members"), 10);
  function count() {
    var present = 0;
    form.querySelectorAll("tr[data-full-member='true']").forEach(function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      if (checked && checked.value === "yes") present += 1;
    });
    var text = preview.getAttribute(present >= needed && members > 0 ? "data-met" : "data-missing");
    preview.textContent = text
      .replace("{present}", String(present))
      .replace("{members}", String(members))
      .replace("{needed}", String(needed));
    preview.hidden = false;
  }
  form.addEventListener("change", count);
})();
