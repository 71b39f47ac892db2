import { defineTypeProbeSuite } from "@arena/api/testing";

defineTypeProbeSuite(new URL("../probes/", import.meta.url));
