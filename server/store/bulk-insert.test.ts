import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { dollarQuoted } from "./bulk-insert";

describeEachDatabase("a bulk insert's json literal", (database) => {
  it("comes back from the database exactly as written, whatever ends other literals", async () => {
    const texts = ["plain", "it's", "back\\slash \\' \\\\", "$$ $j$ $j00$ $1 $tag$", "line\nbreak\ttab", "é 日本 🎉", '{"a":"\\u0000"}', ""];
    for (const text of texts) {
      const [row] = await database.client.$queryRawUnsafe<{ t: string }[]>(`SELECT ${dollarQuoted(text)}::text AS t`);
      expect(row!.t).toBe(text);
    }
  });
}, { migrate: false });

