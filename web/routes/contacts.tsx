import { ComingSoon } from "../components/ComingSoon";

// PLACEHOLDER: replaced by the real Contacts screen in a later issue.
export default function ContactsRoute() {
  return <ComingSoon title="Contacts" description="People at your accounts, with their activity timeline." />;
}
