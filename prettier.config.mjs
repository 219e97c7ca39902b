/** One formatter for the repo (issue #16). Width 120 as the code was written; checked by `npm run check`. */
export default {
  printWidth: 120,
  trailingComma: "all",
};
