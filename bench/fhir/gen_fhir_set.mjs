// Writes a synthetic EHR export for the import benchmark: N FHIR R4 resources as NDJSON (FHIR
// Bulk Data's format), a mix of what a clinic's record holds (Observations most, then Conditions,
// MedicationRequests, Immunizations, Procedures, AllergyIntolerances), each distinct (so none is
// skipped as already imported) and valid for the R4 schema. Deterministic for a given N.
// Usage: node bench/fhir/gen_fhir_set.mjs 10000 > set.ndjson
const n = Number(process.argv[2] || 10000);
const subject = { reference: 'Patient/bench' };
const day = (i) => {
  const d = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86400000);
  return d.toISOString().slice(0, 10);
};
const make = [
  (i) => ({ resourceType: 'Observation', status: 'final', subject, effectiveDateTime: day(i),
            code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
            valueQuantity: { value: 50 + (i % 500) / 10, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } }),
  (i) => ({ resourceType: 'Observation', status: 'final', subject, effectiveDateTime: day(i),
            code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
            valueQuantity: { value: 50 + (i % 70), unit: '/min' } }),
  (i) => ({ resourceType: 'Condition', subject, onsetDateTime: day(i), code: { text: `Condition ${i}` },
            clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] } }),
  (i) => ({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject, authoredOn: day(i),
            medicationCodeableConcept: { text: `Metformin 500 mg (${i})` },
            dosageInstruction: [{ text: 'One tablet twice a day' }] }),
  (i) => ({ resourceType: 'Immunization', status: 'completed', patient: subject, occurrenceDateTime: day(i),
            vaccineCode: { text: `Influenza vaccine lot ${i}` } }),
  (i) => ({ resourceType: 'Procedure', status: 'completed', subject, performedDateTime: day(i),
            code: { text: `Procedure ${i}` } }),
  (i) => ({ resourceType: 'AllergyIntolerance', patient: subject, code: { text: `Substance ${i}` },
            criticality: 'low' }),
];
const weights = [4, 2, 1, 1, 1, 1, 0];  // per 10: AllergyIntolerance every 100th record instead
let out = '';
for (let i = 0; i < n; i++) {
  let k = i % 10, pick = 0;
  while (k >= weights[pick]) k -= weights[pick++];
  const r = i % 100 === 99 ? make[6](i) : make[pick](i);
  out += JSON.stringify(r) + '\n';
  if (out.length > 1 << 20) { process.stdout.write(out); out = ''; }
}
process.stdout.write(out);
