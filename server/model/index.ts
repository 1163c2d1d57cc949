// Public entry of the scripted Demo model (see README.md).
export { startScriptedModel, DEMO_MODEL_ID, type ScriptedModel, type ScriptedModelOptions } from "./server";
export { SCENARIOS, marker, parseMarker, type ScenarioName } from "./markers";
export { PERMISSION_COMMAND, DEFAULT_LONG_DELTAS, planReply } from "./scenarios";
