// The directory's import: a chosen CSV file is read into the text box, so one form sends it.
"use strict";
(function () {
  const file = document.getElementById("import-file");
  const text = document.getElementById("import-csv");
  if (!file || !text) return;
  file.addEventListener("change", function () {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    chosen.text().then(function (content) { text.value = content; });
  });
})();
