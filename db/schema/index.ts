export * from "./workspaces";
export * from "./crm";
export * from "./audit";
export * from "./platform";
export * from "./search";
export * from "./sessions";
export * from "./imports";
export * from "./customization";
