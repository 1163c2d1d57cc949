// The <option>s of a model picker: models the runner can call, then, unpickable under their own
// heading, those it cannot (no credentials), each saying why.

export type ModelOption = { providerID: string; modelID: string; providerName: string; name: string; notConnected: string | null };

export const modelKey = (m: { providerID: string; modelID: string }) => `${m.providerID}/${m.modelID}`;

export function ModelOptions({ models }: { models: ModelOption[] }) {
  const connected = models.filter((m) => m.notConnected === null);
  const unreachable = models.filter((m) => m.notConnected !== null);
  return (
    <>
      {connected.map((m) => (
        <option key={modelKey(m)} value={modelKey(m)}>
          {m.providerName} · {m.name}
        </option>
      ))}
      {unreachable.length > 0 && (
        <optgroup label="Not connected: the runner cannot call these" data-testid="models-not-connected">
          {unreachable.map((m) => (
            <option key={modelKey(m)} value={modelKey(m)} disabled title={`Not connected: ${m.notConnected}`} data-not-connected={m.notConnected}>
              {m.providerName} · {m.name} (not connected: {m.notConnected})
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}
