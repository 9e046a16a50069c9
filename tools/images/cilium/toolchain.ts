/**
 * The clang the agent image carries (Debian bookworm package): only its binary
 * and the libraries it loads, not its toolchain (binutils, gcc headers, LLVM tools).
 * The agent compiles its datapath with it at run time.
 */
export const CLANG_PACKAGE = 'clang-19';
