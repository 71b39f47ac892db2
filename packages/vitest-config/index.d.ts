import type { ViteUserConfig } from "vitest/config";

export declare function defineArenaConfig(overrides?: ViteUserConfig): ViteUserConfig;
