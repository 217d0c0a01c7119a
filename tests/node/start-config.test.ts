import { describe, expect, it } from "vitest";
import { checkStartConfig, describeStart, startInputs } from "../../scripts/lib/start-config";

const SECRETS = { DATABASE_URL: "postgres://u@localhost/db", JWT_SECRET: "x".repeat(40) };

describe("npm start's configuration sources", () => {
  it("lets the environment win over .dev.vars, and .dev.vars over wrangler.toml", () => {
    const { values, sources } = startInputs(
      { BRAND_NAME: "From env", PATH: "/usr/bin", HOME: "/root" },
      { BRAND_NAME: "From dev vars", BRAND_ACCENT_COLOR: "#123456", CUSTOM_DEV_VAR: "kept" },
      { BRAND_NAME: "From toml", BRAND_ACCENT_COLOR: "#654321", OPENAI_MODEL: "gpt-5-mini" },
    );
    expect(values).toEqual({ BRAND_NAME: "From env", BRAND_ACCENT_COLOR: "#123456", CUSTOM_DEV_VAR: "kept" });
    expect(sources).toMatchObject({ BRAND_NAME: "environment", BRAND_ACCENT_COLOR: ".dev.vars", OPENAI_MODEL: "wrangler.toml" });
    // Only documented variables come from the environment: PATH or HOME are no Worker bindings.
    expect(values).not.toHaveProperty("PATH");
  });

  it("names the offline engine when no OpenAI key is set anywhere, and the branding's sources", () => {
    const config = checkStartConfig({ ...SECRETS, ENVIRONMENT: "development" });
    const [ai, branding] = describeStart(config, { BRAND_NAME: "wrangler.toml" });
    expect(ai).toBe("AI: the offline engine (no OPENAI_API_KEY in the environment, .dev.vars or wrangler.toml)");
    expect(branding).toBe('Branding: "Bespoke CRM", accent #4f46e5, monogram icon (name from wrangler.toml, colour from default)');
  });

  it("names OpenAI, its model and the key's source", () => {
    const config = checkStartConfig({ ...SECRETS, ENVIRONMENT: "development", OPENAI_API_KEY: "sk-x", OPENAI_MODEL: "gpt-5" });
    expect(describeStart(config, { OPENAI_API_KEY: ".dev.vars" })[0]).toBe("AI: OpenAI, model gpt-5 (OPENAI_API_KEY from .dev.vars)");
  });
});
