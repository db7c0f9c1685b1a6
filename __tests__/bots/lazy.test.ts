import { lazy } from '../../bots/lazy';

describe('lazy', () => {
  it('creates nothing until first asked, then once, however many ask at once', async () => {
    const create = jest.fn(async () => ({ client: 'sts' }));
    const get = lazy(create);
    expect(create).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([get(), get()]);
    expect(await get()).toBe(a);
    expect(b).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed attempt, so the next call tries again', async () => {
    const create = jest.fn<Promise<string>, []>().mockRejectedValueOnce(new Error('cannot load')).mockResolvedValue('loaded');
    const get = lazy(create);
    await expect(get()).rejects.toThrow('cannot load');
    expect(await get()).toBe('loaded');
    expect(await get()).toBe('loaded');
    expect(create).toHaveBeenCalledTimes(2);
  });
});
