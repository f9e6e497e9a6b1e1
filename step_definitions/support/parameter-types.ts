import { defineParameterType } from "@cucumber/cucumber";
import { lab } from "./lab";

// "5 seconds", "500 ms", "1.5 s", "200ms", "2 minutes" → milliseconds.
defineParameterType({
  name: "duration",
  regexp: lab.DURATION_PATTERN,
  transformer: (text: string) => lab.durationParameter(text),
  useForSnippets: false,
});
