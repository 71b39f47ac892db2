/** The site's data, which the build step hands to Vite as a module (src/build/main.ts). */
declare module "virtual:arena-data" {
  const data: import("../build/types.js").SiteData;
  export default data;
}
