import { ComingSoon } from "../components/ComingSoon";

// PLACEHOLDER: replaced by the real Settings screen in a later issue.
export default function SettingsRoute() {
  return <ComingSoon title="Settings" description="Users and roles, pipeline stages and probabilities, branding and AI settings." />;
}
