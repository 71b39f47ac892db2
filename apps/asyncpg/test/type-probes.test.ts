import { defineTypeProbeSuite } from "@arena/testkit";

defineTypeProbeSuite(new URL("../probes/", import.meta.url));
