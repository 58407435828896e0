// Types for the parts of the `ipp` npm package (1.1.0, CommonJS, untyped) that we use: its
// message encoder and decoder. Its own HTTP `request` is not used (no timeout, and a parse error
// is thrown from inside a stream handler, which would take the process down).
declare module 'ipp' {
  interface IppCodec {
    /** Encodes an IPP message; throws (a string, not an Error) on an unknown attribute. */
    serialize(message: object): Buffer<ArrayBuffer>;
    /** Decodes an IPP message; throws on truncated input. */
    parse: {
      (buffer: Buffer): unknown;
      /** Called for value tags the decoder does not know (and for no-value); logs by default. */
      handleUnknownTag: (
        tag: number,
        name: string,
        length: number,
        read: (length: number) => string,
      ) => unknown;
    };
  }
  const ipp: IppCodec;
  export = ipp;
}
