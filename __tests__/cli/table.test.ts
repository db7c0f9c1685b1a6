import { columns, table } from '../../cli/table';

describe('tables', () => {
  it('aligns columns two spaces apart, padding every column but the last', () => {
    expect(
      columns([
        ['security account', '111111111111'],
        ['OUs', 'Root/Prod, Root/Dev'],
      ]),
    ).toBe('security account  111111111111\nOUs               Root/Prod, Root/Dev');
  });

  it('leaves no trailing spaces, whatever the row lengths', () => {
    const text = columns([['a', 'b', ''], ['long cell'], ['x', 'longer cell', 'z']]);
    expect(text).toBe('a          b\nlong cell\nx          longer cell  z');
    expect(text.split('\n').every((line) => line === line.trimEnd())).toBe(true);
  });

  it('puts a rule under the headers, as wide as each column', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['long', 'x'],
          ['s', 'y'],
        ],
      ),
    ).toBe('A     BB\n----  --\nlong  x\ns     y');
  });

  it('fills missing cells so a short row still lines up', () => {
    expect(table(['STATUS', 'BOT', 'MESSAGE'], [['ok'], ['failed', 'sg_delete', 'denied']])).toBe(
      'STATUS  BOT        MESSAGE\n------  ---------  -------\nok\nfailed  sg_delete  denied',
    );
  });
});
