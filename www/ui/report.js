// SurvLens page: the report, the R script and protocol files (issue 9).
// Everything is generated in the worker (WebAssembly) from the spec that ran; this
// module only builds its buttons and downloads. Data strings reach the DOM through
// textContent only.
//
//   initReport({engine, state, fillFromSpec, run, download, showError, exportSpec?})
//   state.spec: the spec of the last analysis; state.dataName: the file's name;
//   state.fileName: the download prefix; exportSpec(): a spec to export instead (the
//   missing-data panel's multiple imputation), or null.

import { lang } from './i18n.js';

function button(text, id) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'button';
  b.id = id;
  b.textContent = text;
  return b;
}

export function initReport({ engine, state, fillFromSpec, run, download, showError, exportSpec }) {
  const box = document.getElementById('report-tools');
  if (!box) return;
  const head = document.createElement('h3');
  head.textContent = 'Report, R script and protocol';
  const note = document.createElement('p');
  note.className = 'report-note';
  note.textContent = 'The report is one HTML file (figures, tables, methods and results text, STROBE checklist, '
    + 'the data file\'s SHA-256): open it in a browser and print it to PDF. The R script reproduces every number '
    + 'from your file with R\'s survival package. A protocol file is the analysis spec: load it at another site to run '
    + 'the identical analysis.';
  const row = document.createElement('div');
  row.className = 'exports';
  const report = button('Report (HTML)', 'export-report');
  const rscript = button('R script', 'export-rscript');
  const save = button('Save protocol', 'save-protocol');
  const loadLabel = document.createElement('label');
  loadLabel.className = 'button';
  loadLabel.textContent = 'Load protocol…';
  const load = document.createElement('input');
  load.type = 'file';
  load.accept = '.json,application/json';
  load.id = 'load-protocol';
  load.className = 'visually-hidden';
  loadLabel.append(load);
  const patient = document.createElement('label');
  const patientBox = document.createElement('input');
  patientBox.type = 'checkbox';
  patientBox.id = 'report-patient-data';
  patient.append(patientBox, ' include the line numbers of left-out rows (patient-level data)');
  row.append(report, rscript, save, loadLabel);
  // Said when it matters (issue 16): the R script of a workbook reads a CSV copy of it.
  const rNote = document.createElement('p');
  rNote.className = 'report-note';
  rNote.id = 'rscript-note';
  rNote.setAttribute('aria-live', 'polite');
  box.append(head, note, row, patient, rNote);

  const name = () => state.dataName || 'data.csv';
  // The spec exported: the page's, or the missing-data panel's when its multiple imputation
  // is on screen (the report, R script and protocol then hold the imputation too).
  const spec = () => exportSpec?.() ?? state.spec;
  const guard = (f) => async () => {
    if (!state.spec) return;
    try { await f(); } catch (err) { showError(err); }
  };
  report.addEventListener('click', guard(async () => {
    const html = await engine.report(spec(), { data_name: name(), include_patient_data: patientBox.checked, lang: lang() });
    download(`${state.fileName}-report.html`, new Blob([html], { type: 'text/html;charset=utf-8' }));
  }));
  rscript.addEventListener('click', guard(async () => {
    const workbook = /\.xlsx$/i.test(name());
    const csvName = workbook ? name().replace(/\.xlsx$/i, '.csv') : name();
    const text = await engine.rscript(spec(), { data_name: csvName });
    rNote.textContent = workbook
      ? `This R script reads ${csvName}, not the workbook: in Excel, save the sheet as "CSV UTF-8" under that name, in the script's folder.`
      : '';
    download(`${state.fileName}-analysis.R`, new Blob([text], { type: 'text/plain;charset=utf-8' }));
  }));
  save.addEventListener('click', guard(async () => {
    const text = await engine.protocol(spec());
    download(`${state.fileName}-protocol.json`, new Blob([text], { type: 'application/json' }));
  }));
  load.addEventListener('change', async (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    const f = input.files[0];
    input.value = '';
    if (!f) return;
    try {
      const text = await f.text();
      let spec;
      try { spec = JSON.parse(text); } catch (err) {
        throw Object.assign(new Error(`The protocol file is not JSON: ${err.message}`), { kind: 'spec_json' });
      }
      await engine.protocol(spec); // validated by the core: the same errors as the CLI
      fillFromSpec(spec);
      await run(spec);
    } catch (err) { showError(err); }
  });
}
