// Node 20 has no global Temporal and Fedify uses it at run time.
// peer.mjs imports this module before anything from Fedify.
import { Temporal } from "@js-temporal/polyfill";
globalThis.Temporal ??= Temporal;
