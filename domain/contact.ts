import { accountRef, email, externalId, jobTitle, owner, personName, phone } from "./common";
import { defineEntity } from "./field";

/** People at your accounts. */
export const contact = defineEntity({
  key: "contact",
  plural: "contacts",
  label: "Contact",
  labelPlural: "Contacts",
  table: "contacts",
  defaultSort: "lastName",
  requiredAnyOf: ["name", "firstName", "lastName", "email"],
  matchKeys: ["externalId", "email"],
  nameOrEmail: true,
  fields: {
    externalId,
    ...personName,
    email: { ...email, sort: {} },
    phone: { ...phone, ui: { list: true, detail: true } },
    mobilePhone: {
      label: "Mobile",
      type: "phone",
      max: 50,
      import: { label: "Mobile phone", aliases: ["mobile", "mobilephone", "cell", "cellphone", "mobilenumber", "handy"] },
      ui: { detail: true },
    },
    title: jobTitle,
    accountId: accountRef,
    ownerId: owner,
  },
});
