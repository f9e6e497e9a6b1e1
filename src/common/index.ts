// What every part of the lab may use: coded errors and the one waiting primitive.
export { CodedError, UnknownNameError, messageOf } from "./errors";
