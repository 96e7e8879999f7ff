/* The portal's only script, and an optional one: every page works without it.
 *
 * On narrow screens portal.css shows each table row as a block whose cells are labelled with
 * their column's heading (td[data-label]::before). Templates may write data-label themselves;
 * this labels the cells of any table that does not, from the table's own <thead>, and marks
 * the table .cells-labelled (its headings row is then only for screen readers). */
(function () {
  "use strict";
  function headings(table) {
    var row = table.tHead && table.tHead.rows[0];
    var labels = [];
    if (!row) return labels;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i += 1) labels.push(cell.textContent.trim());
    });
    return labels;
  }
  function label(table) {
    var labels = headings(table);
    if (!labels.length) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.colSpan === 1 && labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("cells-labelled");
  }
  Array.prototype.forEach.call(document.querySelectorAll("main table"), label);
})();

/* Behaviour that templates ask for with data attributes (the CSP allows no inline handlers):
 * data-submit-on-change submits the field's form when it changes (the language menu; without
 * JavaScript its <noscript> button does), data-select-on-focus selects a read-only field's
 * text (the calendar address to copy). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-submit-on-change]"), function (field) {
    field.addEventListener("change", function () {
      if (field.form) field.form.submit();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-select-on-focus]"), function (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  });
})();
