// espeak-ng ships eSpeak NG's command line compiled by Emscripten, without types. Only what
// espeak-synth.ts uses is declared: one instance runs main() once with `arguments`.
declare module 'espeak-ng' {
  interface ESpeakNgOptions {
    arguments: string[];
    instantiateWasm?: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;
    preRun?: ((module: ESpeakNgInstance) => void)[];
    print?: (line: string) => void;
    printErr?: (line: string) => void;
  }
  interface ESpeakNgInstance {
    FS: { readFile(path: string): Uint8Array; writeFile(path: string, data: string): void };
  }
  const ESpeakNg: (options: ESpeakNgOptions) => Promise<ESpeakNgInstance>;
  export default ESpeakNg;
}
