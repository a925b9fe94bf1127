"""Texts of the account-security pages (password change)."""

from __future__ import annotations

VI = {
    "account.password_title": "Đổi mật khẩu",
    "account.password_intro": "Mật khẩu cần ít nhất 10 ký tự, hoặc một câu từ 4 từ trở lên (ví dụ: “con mèo ngủ trên mái”). "
    "Không dùng mật khẩu phổ biến, số điện thoại hay họ tên của bạn.",
    "account.current": "Mật khẩu hiện tại",
    "account.new": "Mật khẩu mới",
    "account.confirm": "Nhập lại mật khẩu mới",
    "account.submit": "Đổi mật khẩu",
    "account.changed": "Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất.",
    "account.mismatch": "Hai lần nhập mật khẩu mới không giống nhau.",
    "account.link": "Đổi mật khẩu",
    "account.reset_title": "Quên mật khẩu",
    "account.login_required": "Vui lòng nhập số điện thoại hoặc số định danh cá nhân.",
    "account.reset_send": "Gửi mã qua tin nhắn",
    "account.reset_sent": "Nếu số này có tài khoản, mã xác nhận 6 chữ số đã được gửi bằng tin nhắn (hiệu lực 10 phút).",
    "account.reset_code": "Mã xác nhận (6 chữ số)",
    "account.reset_submit": "Đặt mật khẩu mới",
    "account.reset_done": "Đã đặt mật khẩu mới. Mời bạn đăng nhập.",
    "account.reset_link": "Quên mật khẩu?",
    "account.vneid": "Đăng nhập bằng VNeID",
    "account.reset_sms": "OneStop: ma dat lai mat khau cua ban la {code} (hieu luc {minutes} phut). "
    "Khong dua ma nay cho bat ky ai.",
}

EN = {
    "account.password_title": "Change password",
    "account.password_intro": "A password needs at least 10 characters, or a sentence of 4 words or more "
    "(for example “the cat sleeps on the roof”). Not a common password, your phone number or your name.",
    "account.current": "Current password",
    "account.new": "New password",
    "account.confirm": "New password again",
    "account.submit": "Change password",
    "account.changed": "Password changed. Your other devices have been signed out.",
    "account.mismatch": "The two new passwords are not the same.",
    "account.link": "Change password",
    "account.login_required": "Please enter your phone number or personal ID number.",
    "account.reset_title": "Forgot password",
    "account.reset_send": "Send a code by text message",
    "account.reset_sent": "If this number has an account, a 6-digit code has been sent by text message "
    "(valid 10 minutes).",
    "account.reset_code": "Code (6 digits)",
    "account.reset_submit": "Set the new password",
    "account.reset_done": "Your new password is set. Please sign in.",
    "account.reset_link": "Forgot your password?",
    "account.vneid": "Sign in with VNeID",
    "account.reset_sms": "OneStop: your password reset code is {code} (valid {minutes} minutes). "
    "Never give this code to anyone.",
}
