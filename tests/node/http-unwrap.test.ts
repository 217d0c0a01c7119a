import { describe, expect, it } from "vitest";
import { dropResults } from "../../db/client";

// The statement timeout rides in front of every HTTP statement as a batch prelude; its result is cut out of the answer
// as text. A wrong cut would hand the driver another statement's rows (or broken JSON) — these shapes must hold.
const prelude = { command: "SELECT", rowCount: 1, rows: [{ set_config: "10000" }], fields: [{ name: "set_config", dataTypeID: 25 }] };
const tricky = { command: "SELECT", rowCount: 2, rows: [{ name: 'a "quoted" } brace ], bracket', note: "back\\slash\\" }, { name: "{[", note: "\u2603 ,{" }], fields: [{ name: "name" }, { name: "note" }] };
const other = { command: "UPDATE", rowCount: 0, rows: [], fields: [] };

describe("dropResults (HTTP answers without the statement-timeout prelude)", () => {
  it("returns a single statement's own result, even when its strings hold braces, quotes and escapes", () => {
    const text = JSON.stringify({ results: [prelude, tricky] });
    expect(JSON.parse(dropResults(text, 1, true)!)).toEqual(tricky);
  });

  it("returns a batch's results after the prelude, in order", () => {
    const text = JSON.stringify({ results: [prelude, tricky, other] });
    expect(JSON.parse(dropResults(text, 1, false)!)).toEqual({ results: [tricky, other] });
  });

  it("drops two preludes (the statement timeout and a deferred session check)", () => {
    const text = JSON.stringify({ results: [prelude, { ...prelude, rows: [{ int4: 1 }] }, tricky] });
    expect(JSON.parse(dropResults(text, 2, true)!)).toEqual(tricky);
    expect(JSON.parse(dropResults(JSON.stringify({ results: [prelude, prelude, tricky, other] }), 2, false)!)).toEqual({ results: [tricky, other] });
  });

  it("tolerates whitespace between the elements", () => {
    const text = `{ "results" : [ ${JSON.stringify(prelude)} ,\n ${JSON.stringify(other)} ] }`;
    expect(JSON.parse(dropResults(text, 1, true)!)).toEqual(other);
    expect(JSON.parse(dropResults(text, 1, false)!)).toEqual({ results: [other] });
  });

  it("gives up (null) on a shape it does not know, so the caller parses the slow way", () => {
    expect(dropResults(JSON.stringify({ message: "error" }), 1, true)).toBeNull();
    expect(dropResults(JSON.stringify({ results: [prelude] }), 1, true)).toBeNull();
  });
});
