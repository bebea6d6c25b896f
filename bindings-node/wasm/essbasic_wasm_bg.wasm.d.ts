/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const buildRequest: (a: number, b: number, c: number, d: number, e: any, f: any, g: number, h: number, i: number, j: number) => any;
export const classifyResponse: (a: number, b: number, c: number, d: number) => any;
export const finishRemote: (a: any, b: number, c: number) => any;
export const prepareRemote: (a: number, b: number, c: number, d: number, e: any, f: any, g: number, h: number, i: number, j: number) => any;
export const signVector: (a: number, b: number, c: number) => void;
export const __wbindgen_export: (a: number, b: number) => number;
export const __wbindgen_export2: (a: number, b: number, c: number, d: number) => number;
export const __wbindgen_export3: (a: number, b: number, c: number) => void;
export const __wbindgen_export4: (a: number) => void;
export const __wbindgen_export5: () => number;
export const __wbindgen_externrefs: WebAssembly.Table;
export const __wbindgen_add_to_stack_pointer: (a: number) => number;
export const __wbindgen_start: () => void;
