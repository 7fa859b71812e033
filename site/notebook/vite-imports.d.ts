// What Vite's `?worker&url` imports give TypeScript: the URL of the Worker script Vite bundles
// (used to start Workers from a blob: URL, so they inherit the page's Content-Security-Policy).
declare module '*?worker&url' {
  const url: string;
  export default url;
}

// What Vite puts in import.meta.env that the site reads: the base path (site/utils/base.ts).
interface ImportMeta {
  readonly env: { readonly BASE_URL: string };
}
