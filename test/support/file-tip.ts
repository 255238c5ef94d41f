import type { FakeTelegramServer } from './fake-telegram-server';
import type { TelegramUser } from './telegram-user';
import { eventually } from './test-env';

export interface TipAnswers {
  /** The category button's label, e.g. "Ma túy". */
  category: string;
  description: string;
  /** A ward typed as text ("Phường 4"), or null for "Không nhớ địa điểm". */
  ward: string | null;
  /** The time button's label. */
  occurred?: string;
}

/**
 * A resident files an anonymous tip over Telegram from /baotin to the
 * receipt, waiting for each question as a person would. Returns the code.
 */
export async function fileTelegramTip(telegram: FakeTelegramServer, user: TelegramUser, answers: TipAnswers): Promise<string> {
  const answer = async (act: () => number, nextQuestion: string): Promise<void> => {
    const before = telegram.textsTo(user.id).length;
    act();
    await eventually(nextQuestion, () => telegram.textsTo(user.id).slice(before).some((t) => t.includes(nextQuestion)));
  };
  await answer(() => user.text('/baotin'), 'dữ liệu cá nhân');
  await answer(() => user.press('✅ Tôi đồng ý'), 'Bước 1/7');
  await answer(() => user.press(answers.category), 'Bước 2/7');
  await answer(() => user.text(answers.description), 'Bước 3/7');
  if (answers.ward) {
    await answer(() => user.text(answers.ward ?? ''), 'Bước 4/7');
  } else {
    await answer(() => user.press('Không nhớ địa điểm'), 'phường/xã nào');
    await answer(() => user.press('Không rõ'), 'Bước 4/7');
  }
  await answer(() => user.press(answers.occurred ?? 'Không rõ'), 'Bước 5/7');
  await answer(() => user.press('Bỏ qua'), 'Bước 6/7');
  await answer(() => user.press('Bỏ qua'), 'Bước 7/7');
  await answer(() => user.press('🕶 Gửi ẩn danh'), 'Kiểm tra lại');
  await answer(() => user.press('📨 Gửi tin báo'), 'Mã biên nhận');
  const receipt = telegram.textsTo(user.id).find((t) => t.includes('Mã biên nhận')) ?? '';
  const code = /TB-[2-9A-HJ-NP-Z]{6}/.exec(receipt)?.[0];
  if (!code) throw new Error(`No receipt code in: ${receipt}`);
  return code;
}
