// Public entry of the scripted Demo model (see README.md).
export { startScriptedModel, DEMO_MODEL_ID, type ScriptedModel, type ScriptedModelOptions } from "./server";
export { SCENARIOS, marker, parseMarker, type ScenarioName } from "./markers";
export { PERMISSION_COMMAND, SECRETS_COMMAND, DEFAULT_LONG_DELTAS, DEMO_WRITE_FILE, planReply } from "./scenarios";
export { FAKE_SECRETS, FAKE_DATABASE_URL } from "./fake-secrets";
