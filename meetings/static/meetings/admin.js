/* The meeting's admin page, progressively enhanced (everything works without it):
   - agenda rows can be dragged into a new order; each row's hidden "order" field gets its
     place, which the save turns into positions (the "Move" selects work without a script);
   - Django's "You are N hours ahead of server time" notes are removed: the times of a meeting
     are in the meeting's own time zone, named beside them, not in the server's or yours. */
"use strict";
window.addEventListener("load", function () {
  document.querySelectorAll(".timezonewarning").forEach(function (note) { note.remove(); });
  const group = document.querySelector(".agenda-inline tbody");
  if (!group) { return; }
  let dragged = null;
  const renumber = function () {
    group.querySelectorAll("tr.has_original").forEach(function (row, index) {
      const field = row.querySelector('input[name$="-order"]');
      if (field) { field.value = String(index + 1); }
    });
  };
  group.querySelectorAll("tr.has_original").forEach(function (row) {
    row.setAttribute("draggable", "true");
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
      dragged = null;
      renumber();
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      group.insertBefore(dragged, after ? row.nextSibling : row);
    });
  });
});
