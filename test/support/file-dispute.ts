import type { FakeTelegramServer } from './fake-telegram-server';
import type { TelegramUser } from './telegram-user';
import { eventually } from './test-env';

export interface DisputeAnswers {
  /** The kind button's label, e.g. "Tiếng ồn". */
  kind: string;
  description: string;
  otherParty: string;
  /** A ward as typed ("phuong 4"). */
  ward: string;
  address: string;
  phone: string;
  /** "Họ tên, năm sinh" as typed. */
  nameAndYear: string;
  desired: string;
}

/**
 * A resident asks for mediation over Telegram from /hoagiai to the receipt,
 * waiting for each question as a person would. Returns the case code.
 */
export async function fileTelegramDispute(telegram: FakeTelegramServer, user: TelegramUser, answers: DisputeAnswers): Promise<string> {
  const answer = async (act: () => number, nextQuestion: string): Promise<void> => {
    const before = telegram.textsTo(user.id).length;
    act();
    await eventually(nextQuestion, () => telegram.textsTo(user.id).slice(before).some((t) => t.includes(nextQuestion)));
  };
  const consented = telegram.textsTo(user.id).some((t) => t.includes('dữ liệu cá nhân'));
  if (consented) await answer(() => user.text('/hoagiai'), 'có ai đang gặp nguy hiểm');
  else {
    await answer(() => user.text('/hoagiai'), 'dữ liệu cá nhân');
    await answer(() => user.press('✅ Tôi đồng ý'), 'có ai đang gặp nguy hiểm');
  }
  await answer(() => user.press('Không, chỉ là mâu thuẫn, tranh chấp'), 'Bước 1/7');
  await answer(() => user.press(answers.kind), 'Bước 2/7');
  await answer(() => user.text(answers.description), 'từ khi nào');
  await answer(() => user.text('Khoảng hai tuần nay'), 'đã thử giải quyết');
  await answer(() => user.press('Chưa thử gì'), 'Bước 3/7');
  await answer(() => user.text(answers.otherParty), 'đồng ý hòa giải không');
  await answer(() => user.press('Chưa rõ'), 'Bước 4/7');
  await answer(() => user.text(answers.ward), 'Địa chỉ cụ thể');
  await answer(() => user.text(answers.address), 'Bước 5/7');
  await answer(() => user.contact(answers.phone), 'Họ tên và năm sinh');
  await answer(() => user.text(answers.nameAndYear), 'Bước 6/7');
  await answer(() => user.text(answers.desired), 'Kiểm tra lại yêu cầu hòa giải');
  await answer(() => user.press('📨 Gửi yêu cầu hòa giải'), 'Mã hồ sơ');
  const receipt = telegram.textsTo(user.id).find((t) => t.includes('Mã hồ sơ')) ?? '';
  const code = /HG-[2-9A-HJ-NP-Z]{6}/.exec(receipt)?.[0];
  if (!code) throw new Error(`No case code in: ${receipt}`);
  return code;
}
