import { task, type TaskRunFuture, type TaskRunFutureList, unmapped } from '../../lib/index.node';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

describe('futures types', () => {
  it('should type submit and map from the task signature', () => {
    const add = task({ name: 'add' }, (x: number, y: number) => x + y);
    const typed = () => {
      const a = add.submit(1, 2);
      type A = Expect<Equal<typeof a, TaskRunFuture<number>>>;
      const b = add.submit(a, 3); // a future where a number is expected
      const list = add.map([1, 2], unmapped(b));
      type L = Expect<Equal<typeof list, TaskRunFutureList<number>>>;
      // @ts-expect-error a string is not a number
      add.submit('1', 2);
      // @ts-expect-error a future of a string is not a future of a number
      add.submit(task((s: string) => s).submit('x'), 2);
      return [a, b, list] as unknown as [A, L];
    };
    expect(typeof typed).toBe('function');
  });
});
