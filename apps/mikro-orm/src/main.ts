import { runServer } from "@arena/api";
import { app } from "./app.js";

await runServer(app);
