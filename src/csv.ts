/**
 * Splits text into CSV records the way docker/actions-toolkit's `Util.getList` has csv-parse do it (relaxed quotes,
 * any number of fields, empty lines skipped): a field that starts with `"` runs to the next lone `"` and may hold
 * commas and line breaks, `""` inside it is one `"`, and a quote anywhere else is an ordinary character. Undefined
 * when a quote is never closed.
 */
export function splitCsvRecords(text: string): string[][] | undefined {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoting = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (quoting) {
      if (character !== '"') {
        field += character;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoting = false;
        // csv-parse's relax_quotes: text right after a closing quote means the quotes were literal after all.
        if (!isFieldEnd(text[i + 1])) field = `"${field}"`;
      }
    } else if (character === '"' && field === '' && !wasQuoted) {
      quoting = wasQuoted = true;
    } else if (character === ',') {
      fields.push(field);
      [field, wasQuoted] = ['', false];
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[i + 1] === '\n') i++;
      if (fields.length > 0 || field !== '' || wasQuoted) records.push([...fields, field]);
      [fields, field, wasQuoted] = [[], '', false];
    } else {
      field += character;
    }
  }
  if (quoting) return undefined;
  if (fields.length > 0 || field !== '' || wasQuoted) records.push([...fields, field]);
  return records;
}

function isFieldEnd(character: string | undefined): boolean {
  return character === undefined || character === ',' || character === '\n' || character === '\r';
}
