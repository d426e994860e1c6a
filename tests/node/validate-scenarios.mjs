// Validates scenario files (YAML) against chaos/scenarios/scenario.schema.json with Ajv (JSON Schema 2020-12).
// usage: node validate-scenarios.mjs SCHEMA FILE... ; prints one JSON line per file: {file, valid, errors}
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const [schemaPath, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
for (const file of files) {
  const data = YAML.parse(readFileSync(file, "utf8"), { merge: true });
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message, params: e.params }));
  console.log(JSON.stringify({ file, valid, errors }));
}
